// The layout's import rules (eslint.config.mjs) fire where they should, and only there.
// ESLint loads its ES-module config by dynamic import, which Jest's VM refuses: lint in one child process.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const REFUSED: readonly (readonly [string, string])[] = [
  ['bin/commands/x.ts', "import { App } from 'aws-cdk-lib';"],
  ['lib/ops/x.ts', "import { Construct } from 'constructs';"],
  ['lambda/x.ts', "import * as s3 from 'aws-cdk-lib/aws-s3';"],
  ['lambda/detector/x.ts', "import { readFileSync } from 'node:fs';"],
  ['lambda/detector/rules/x.ts', "import { ECSClient } from '@aws-sdk/client-ecs';"],
  ['lambda/detector/x.ts', "import { S3Store } from '../adapters/s3-store';"],
  ['lambda/detector/x.ts', "import { get } from 'node:https';"],
];
const ALLOWED: readonly (readonly [string, string])[] = [
  ['lib/stack/x.ts', "import { App } from 'aws-cdk-lib';"],
  ['bin/app.ts', "import { App } from 'aws-cdk-lib';"],
  ['lambda/detector/x.ts', "import { ENV } from '../shared/env-names';"],
  ['lambda/detector/x.ts', "import * as z from 'zod/mini';"],
  ['lambda/x.ts', "import { ECSClient } from '@aws-sdk/client-ecs';"],
];

const LINT = `
const { ESLint } = require('eslint');
const cases = JSON.parse(process.argv[1]);
(async () => {
  const eslint = new ESLint();
  const out = [];
  for (const [filePath, code] of cases) {
    const [r] = await eslint.lintText(code + '\\nexport const probe = 1;\\n', { filePath });
    out.push(r.messages.filter((m) => m.ruleId === 'no-restricted-imports').length);
  }
  process.stdout.write(JSON.stringify(out));
})();`;

let counts: number[] = [];
beforeAll(() => {
  const text = execFileSync(process.execPath, ['-e', LINT, JSON.stringify([...REFUSED, ...ALLOWED])], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  counts = JSON.parse(text) as number[];
}, 120_000);

describe('one-way imports', () => {
  it.each(REFUSED.map((c, i) => [...c, i] as const))('refuses %s: %s', (_file, _code, i) => {
    expect(counts[i]).toBe(1);
  });

  it.each(ALLOWED.map((c, i) => [...c, REFUSED.length + i] as const))('allows %s: %s', (_file, _code, i) => {
    expect(counts[i]).toBe(0);
  });
});
