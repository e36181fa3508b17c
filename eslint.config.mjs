import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layout's one-way imports (README "Layout"): the CDK stays in the stack's room, the detector core
// stays pure. A rule, not a convention, so a stray import fails `npm run lint`.
const CDK = {
  group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
  message:
    'aws-cdk-lib, constructs and cdk-nag belong in lib/stack/ and bin/app.ts only (the CLI and Lambda must not load them).',
};
const DETECTOR_IO = {
  group: [
    '@aws-sdk/*',
    '@smithy/*',
    '@aws-lambda-powertools/*',
    'fs',
    'fs/*',
    'node:fs',
    'node:fs/*',
    'http',
    'https',
    'net',
    'child_process',
    'node:http',
    'node:https',
    'node:net',
    'node:child_process',
    'node:dns',
    'node:os',
    '**/adapters/*',
    '**/adapters',
    '**/aws-deps',
    '**/run-check',
    '**/handler',
    '**/ports',
    '**/lib/**',
    '**/bin/**',
  ],
  message: 'lambda/detector is the pure core: no AWS SDK, no I/O, nothing outside itself but lambda/shared.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'cdk.out/',
      '.demo/',
      '.venv/',
      'coverage/',
      'docs/',
      'bench/.out/',
      '.cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['lib/stack/**', 'bin/app.ts', 'test/stack/**', 'scripts/predeploy.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CDK] }] },
  },
  {
    files: ['lambda/detector/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CDK, DETECTOR_IO] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
