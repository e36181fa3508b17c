// `npm run predeploy` (without the test step, which is this suite): one line per step and a verdict.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

it('proves the -c context given, offline: type-check, synth with cdk-nag, cfn-lint, crons = gap', () => {
  const root = resolve(__dirname, '../..');
  const cron = 'cron(0/5 13-21 ? * MON-FRI *)';
  const args = ['--skip-tests', '-c', `primaryCron=${cron}`, '--context', 'alertSms=+15551234567'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/predeploy.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const lines = r.stdout.trim().split('\n');
  expect(lines.map((l) => l.split(':')[0].replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
    'PASS  type-check',
    'PASS  tests',
    'PASS  cdk synth + cdk-nag (offline, no credentials)',
    'PASS  cfn-lint',
    'PASS  schedule crons = what gap enumerates',
    "PASS  dead-man's switch settings (outside AWS)",
    'VERDICT',
  ]);
  expect(lines.find((l) => l.includes("dead-man's switch"))).toMatch(
    /cron check "0,2,5,7,10,12,[0-9,]+ 13-21 \* \* MON-FRI", time zone UTC, grace 6 min/,
  );
  expect(lines.find((l) => l.startsWith('PASS  schedule crons'))).toContain(cron);
  expect(lines.at(-1)).toBe('VERDICT: ready to deploy (nothing was deployed)');
  expect(r.status).toBe(0);
}, 180_000);
