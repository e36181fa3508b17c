// `npm run predeploy`: the offline readiness proof. Type-check, tests, cdk synth with cdk-nag, cfn-lint,
// and a check that the crons in the template are the ones `gap` enumerates. It never deploys and never
// talks to AWS: the synth runs with no credentials in its environment.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseMonitorConfig } from '../lib/stack/config';
import { scheduleDefinitions } from '../lambda/shared/schedules';
import { deadManSchedule } from '../lambda/shared/dead-man-schedule';

const ROOT = resolve(__dirname, '..');
const skipTests = process.argv.includes('--skip-tests');

/** `-c key=value` / `--context key=value`, as `cdk deploy` takes them: proved, not only cdk.json's example. */
function contextArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const inline = /^--context=(.*)$/.exec(arg)?.[1];
    const pair = inline ?? (arg === '-c' || arg === '--context' ? argv[++i] : undefined);
    if (pair === undefined) continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      console.log(`FAIL  arguments: ${arg} needs key=value, got ${JSON.stringify(pair)}`);
      process.exit(2);
    }
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
const context = contextArgs(process.argv.slice(2));
const contextFlags = Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
const outDir = mkdtempSync(join(tmpdir(), 'aegis-predeploy-'));
const OFFLINE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: mkdtempSync(join(tmpdir(), 'aegis-predeploy-home-')),
  CI: 'true',
  CDK_DISABLE_VERSION_CHECK: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

interface StepResult {
  readonly ok: boolean;
  readonly detail: string;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): StepResult & { output: string } {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return { ok: r.status === 0, detail: r.error ? r.error.message : `exit ${r.status}`, output };
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function template(): Record<string, { Type: string; Properties: Record<string, unknown> }> {
  return JSON.parse(readFileSync(join(outDir, 'AegisPtHealth.template.json'), 'utf8')).Resources;
}

const node = process.execPath;
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);

const steps: [string, () => StepResult][] = [
  ['type-check', () => run(bin('tsc'), ['--noEmit'])],
  [
    'tests',
    () => {
      if (skipTests) return { ok: true, detail: 'skipped (--skip-tests)' };
      const r = run(bin('jest'), ['--silent']);
      const summary = /Tests:\s+(.*)/.exec(r.output)?.[1] ?? r.detail;
      return { ok: r.ok, detail: summary };
    },
  ],
  [
    'cdk synth + cdk-nag (offline, no credentials)',
    () => {
      const r = run(
        node,
        [join(ROOT, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '-o', outDir, ...contextFlags],
        OFFLINE_ENV,
      );
      const findings = (r.output.match(/AwsSolutions-[A-Z0-9]+/g) ?? []).length;
      if (!r.ok)
        return {
          ok: false,
          detail: `${r.detail}; ${findings} unacknowledged cdk-nag finding(s)\n${lastLines(r.output, 20)}`,
        };
      return {
        ok: true,
        detail: `${Object.keys(template()).length} resources, 0 unacknowledged cdk-nag findings`,
      };
    },
  ],
  [
    'cfn-lint',
    () => {
      const r = run(join(ROOT, '.venv/bin/cfn-lint'), [
        '--config-file',
        join(ROOT, '.cfnlintrc.yaml'),
        join(outDir, 'AegisPtHealth.template.json'),
      ]);
      return { ok: r.ok, detail: r.ok ? 'no findings' : `${r.detail}\n${lastLines(r.output, 20)}` };
    },
  ],
  [
    'schedule crons = what gap enumerates',
    () => {
      const file = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context;
      const config = parseMonitorConfig({ ...file, ...context });
      const expected = scheduleDefinitions(config.primaryCron, config.fallbackCron)
        .map((d) => d.cron)
        .sort();
      const deployed = Object.values(template())
        .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
        .map((r) => String(r.Properties.ScheduleExpression))
        .sort();
      const same = JSON.stringify(expected) === JSON.stringify(deployed);
      return {
        ok: same,
        detail: same
          ? deployed.join(' and ')
          : `template ${deployed.join(', ')} != gap ${expected.join(', ')}`,
      };
    },
  ],
  [
    "dead-man's switch settings (outside AWS)",
    () => {
      const file = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context;
      const config = parseMonitorConfig({ ...file, ...context });
      const s = deadManSchedule(scheduleDefinitions(config.primaryCron, config.fallbackCron));
      const where = config.deadMan ? `pinged at ${config.deadMan.url}` : 'not configured (deadManPingUrl)';
      return {
        ok: true,
        detail: `cron check "${s.cron}", time zone ${s.timezone}, grace ${s.graceMin} min, covering ${s.covers}; ${where}`,
      };
    },
  ],
];

let failed = false;
for (const [name, step] of steps) {
  if (failed) {
    console.log(`SKIP  ${name}: an earlier step failed`);
    continue;
  }
  const started = Date.now();
  let result: StepResult;
  try {
    result = step();
  } catch (err) {
    result = { ok: false, detail: (err as Error).message };
  }
  console.log(
    `${result.ok ? 'PASS' : 'FAIL'}  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${result.detail}`,
  );
  failed ||= !result.ok;
}
console.log(failed ? 'VERDICT: NOT ready to deploy' : 'VERDICT: ready to deploy (nothing was deployed)');
process.exit(failed ? 4 : 0);
