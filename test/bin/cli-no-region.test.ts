// A laptop without a region: no ~/.aws, no AWS_REGION. Every command that reads AWS exits 2 with one
// line naming --profile and AWS_REGION, never a critical ecs_unavailable and never a stack trace; the
// same with a region but no credentials (naming the profile). Run as the operator runs it: dist/cli.js.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const home = mkdtempSync(join(tmpdir(), 'aegis-nohome-'));
const out = (name: string) => join(home, name);

/** The Lambda's configuration, so each command gets as far as its first AWS call. */
const CONFIG = {
  AEGIS_PT_CLUSTER: 'aegis-pt',
  AEGIS_PT_SERVICE: 'aegis-pt-core',
  AEGIS_PT_DASHBOARD_URL: 'https://dash.example/status_v3',
  AEGIS_PT_DASHBOARD_SECRET_ARN:
    'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aegis/dash-AbCdEf',
  AEGIS_PT_STATE_BUCKET: 'aegis-state',
  AEGIS_PT_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:123456789012:alerts',
};

/** Every command that reads AWS, in the forms that do (stdin is `{}` where one is read). */
const AWS_READING: readonly (readonly string[])[] = [
  ['detect'],
  ['invoke', '--event', '-'],
  ['doctor'],
  ['gap', '--created-after', '-2h'],
  ['gap', '--created-after', '-2h', '--bucket', 'aegis-state'],
  ['kpi', '--stack', 'AegisPtHealth'],
  ['report', '--date', '2026-06-01', '--out', out('r.html')],
  ['replay', '--from', '-2h', '--to', 'now', '--bucket', 'aegis-state'],
  ['snapshot'],
  ['snapshot', '--gap-since', '-1h', '--stack', 'AegisPtHealth'],
  ['silence', 'list'],
  ['silence', 'add', '--code', 'pending_order_buildup', '--for', '1h', '--reason', 'test', '--bucket', 'b'],
  ['gate', '--phase', 'pre', '--out', out('g.json')],
  ['prove-deploy', '--started-at', '-1h'],
];

function cli(args: readonly string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['dist/cli.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: '{}',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...CONFIG, ...env },
  });
}

beforeAll(() => execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT }), 120_000);

describe.each(AWS_READING.map((a) => [a.join(' '), a] as const))('%s', (_name, args) => {
  it('with no region and no credentials: exit 2, one line naming --profile and AWS_REGION', () => {
    const r = cli(args, {});
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^aegis-pt-health ${args[0]}: no AWS region: .*--profile NAME.*AWS_REGION`),
      ),
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('with a region but no credentials: exit 2, one line naming the profile', () => {
    const r = cli(args, { AWS_REGION: 'ap-northeast-1', AWS_PROFILE: 'ops-nosuch' });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/profile ops-nosuch/);
    expect(lines[0]).not.toMatch(/internal error|^\s+at /);
    expect(r.status).toBe(2);
    expect(r.stdout).not.toMatch(/ecs_unavailable/);
  });
  it.each([
    ['AWS_REGION with a space', { AWS_REGION: 'us east 1' }, /"us east 1" \(from AWS_REGION\)/],
    [
      'AWS_REGION with a trailing space',
      { AWS_REGION: 'ap-northeast-1 ' },
      /"ap-northeast-1 " \(from AWS_REGION\)/,
    ],
    [
      "the profile's region in ~/.aws/config",
      { AWS_PROFILE: 'typo', AWS_CONFIG_FILE: badConfig() },
      /"eu west" \(from the region of profile typo in the AWS config file\)/,
    ],
  ])(
    'with a region the SDK refuses (%s): exit 2, one line naming where it came from',
    (_what, env, where) => {
      const r = cli(args, env as Record<string, string>);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^aegis-pt-health ${args[0]}: the AWS region `)),
      ]);
      expect(lines[0]).toMatch(where);
      expect(lines[0]).toMatch(/is not a region name/);
      expect(r.status).toBe(2);
      expect(r.stdout).not.toMatch(/ecs_unavailable/);
    },
  );
});

/** A config file whose profile names a region with a space in it. */
function badConfig(): string {
  const path = out('aws-config-typo');
  writeFileSync(path, '[profile typo]\nregion = eu west\n');
  return path;
}

it('the SDK never adds its multi-line Node version warning to a one-line error', () => {
  const r = cli(['gap', '--created-after', '-2h', '--bucket', 'b'], {});
  expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|Warning:/);
});
