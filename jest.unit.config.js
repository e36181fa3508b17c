// `npm run test:unit`: the pure tests only (detector, messages, config, cron, CLI parsing), no
// Python, moto, Chromium, esbuild or CDK synth, so a change to a rule is checked in seconds.
// `npm test` stays the one full command.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/test/detector/**/*.test.ts',
    '<rootDir>/test/lambda/env.test.ts',
    '<rootDir>/test/lambda/triggers.test.ts',
    '<rootDir>/test/stack/config.test.ts',
    '<rootDir>/test/stack/cron.test.ts',
    '<rootDir>/test/bin/credentials.test.ts',
  ],
  // Stress tests (100k-element payloads, deep values): pure but slow; they run in `npm test`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/detector/hostile-input.test.ts'],
};
