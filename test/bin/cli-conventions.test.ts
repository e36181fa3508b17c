// The CLI behaves as operators expect from amtool, the AWS CLI and kubectl: --version, --json
// everywhere, global flags before the command, usage errors that say where the help is, the bare
// command's usage on stderr, one rule for times (relative ones included).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMMANDS, main } from '../../bin/commands/main';
import { codeVersion } from '../../lib/stack/code-version';
import { scheduleDefinitions } from '../../lambda/shared/schedules';
import { runsDir, scheduledRecords } from '../helpers/runs';
import { captureIo } from '../helpers/cli-io';
import { sharedPath } from '../helpers/shared';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = sharedPath('spec/examples/observation.healthy.json');
const pkgEngines = () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node;

async function run(args: string[], now = '2026-06-01T16:00:00Z') {
  const io = captureIo({ now });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('--version', () => {
  beforeAll(() => execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT }), 120_000);

  it('prints the package version, the code version the stack would output, and the Node it runs on', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(r.stdout).toMatch(
      new RegExp(
        `^aegis-pt-health ${pkg.version} \\(code version ${codeVersion(ROOT)}; node ${process.version}[,)]`,
      ),
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('says when this Node is outside the supported lines (engines)', () => {
    expect(pkgEngines()).toBe('^22 || ^24');
    const r = spawnSync(process.execPath, ['dist/cli.js', '--version'], { cwd: ROOT, encoding: 'utf8' });
    const major = Number(process.version.slice(1).split('.')[0]);
    if ([22, 24].includes(major)) expect(r.stdout).not.toContain('outside');
    else expect(r.stdout).toContain(`node ${process.version}, outside the supported Node 22 and 24)`);
  });
});

describe('global flags', () => {
  it('--json is accepted by every command', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const r = await run([name, '--json', '--help']);
      expect([name, r.code]).toEqual([name, 0]);
    }
  });

  it('--json is a no-op where the output is already JSON', async () => {
    const plain = await run(['detect', '--observation', EXAMPLE]);
    const json = await run(['detect', '--observation', EXAMPLE, '--json']);
    expect(json).toEqual(plain);
    const cal = await run(['--json', 'calendar', '--from', '2026-11-25', '--to', '2026-11-27']);
    expect(JSON.parse(cal.out)).toHaveLength(2);
  });

  it('--runs-dir, --json and --profile mean the same before the command as after it', async () => {
    const dir = await runsDir(
      scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T14:00:00Z', scheduleDefinitions()),
    );
    const range = ['--created-after', '2026-06-01T13:00:00Z', '--until', '2026-06-01T14:00:00Z'];
    const after = await run(['gap', ...range, '--runs-dir', dir, '--json', '--profile', 'ops']);
    const before = await run(['--runs-dir', dir, '--json', '--profile=ops', 'gap', ...range]);
    expect(before).toEqual(after);
    expect(JSON.parse(before.out).verdict).toBe('covered');
  });

  it('a global flag given before the command and again after it with another value is refused', async () => {
    const r = await run(['--profile', 'prod', 'gap', '--created-after', '-2h', '--profile=staging']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'aegis-pt-health gap: --profile given twice (prod, then staging): give it once; see aegis-pt-health gap --help\n',
    );
    const same = await run(['--json', 'calendar', '--from', '2026-11-25', '--to', '2026-11-27', '--json']);
    expect(same.code).toBe(0);
  });

  it('a global flag before a command that does not take it is refused like one after it', async () => {
    const r = await run(['--stack', 'Other', 'calendar', '--from', '2026-11-25', '--to', '2026-11-27']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'aegis-pt-health calendar: unknown option --stack; see aegis-pt-health calendar --help\n',
    );
  });
});

describe('usage errors', () => {
  it.each([
    [['gap', '--created-after', '-2h', '--bogus'], 'unknown option --bogus'],
    [['kpi', '--sessions'], '--sessions needs a value (N)'],
    [['kpi', '--json=yes'], '--json takes no value'],
    [['calendar', '--from', '2026-01-01'], '--to YYYY-MM-DD is required'],
    [['report', '--date', 'yesterday', '--runs-dir', '.'], '--date must be YYYY-MM-DD, got "yesterday"'],
    [['replay', '--from', 'noon', '--to', 'now', '--runs-dir', '.'], '--from must be an ISO-8601 time'],
    [['silence', 'mute', '--runs-dir', '.'], 'silence needs add, list or expire, got "mute"'],
    [['detect', 'stray'], 'unexpected argument stray'],
    [
      ['gap', '--profile', 'prod', '--created-after', '-2h', '--profile', 'staging'],
      '--profile given twice (prod, then staging): give it once',
    ],
    [
      ['calendar', '--from', '2026-06-01', '--to', '2026-06-05', '--from', '2026-06-03'],
      '--from given twice (2026-06-01, then 2026-06-03): give it once',
    ],
    [['replay', '--from', '-2h', '--to', 'now', '--from=-1h'], '--from given twice (-2h, then -1h)'],
  ])('%j is one line ending with where the help is', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).toMatch(new RegExp(`; see aegis-pt-health ${argv[0]} --help$`));
    expect(r.out).toBe('');
  });

  it("'help CMD' prints that command's help, as 'CMD --help' does", async () => {
    const help = await run(['help', 'gap']);
    expect(help).toEqual(await run(['gap', '--help']));
    expect(help.out).toMatch(/^Usage: aegis-pt-health gap /);
    const unknown = await run(['help', 'frobnicate']);
    expect([unknown.code, unknown.err]).toEqual([
      2,
      "aegis-pt-health: unknown command 'frobnicate'; see aegis-pt-health --help\n",
    ]);
  });

  it('an unknown command names itself and the program help', async () => {
    const r = await run(['frobnicate']);
    expect([r.code, r.err]).toEqual([
      2,
      "aegis-pt-health: unknown command 'frobnicate'; see aegis-pt-health --help\n",
    ]);
  });

  it('the bare program prints its usage to stderr (exit 2); --help prints it to stdout (exit 0)', async () => {
    const bare = await run([]);
    expect([bare.code, bare.out]).toEqual([2, '']);
    expect(bare.err).toMatch(/^Usage: aegis-pt-health /);
    const help = await run(['--help']);
    expect([help.code, help.err]).toEqual([0, '']);
    expect(help.out).toBe(bare.err);
  });

  it.each(['gap', 'calendar', 'report', 'replay', 'prove-deploy', 'gate', 'silence'])(
    'the bare %s prints its usage to stderr (exit 2)',
    async (name) => {
      const r = await run([name]);
      expect([r.code, r.out]).toEqual([2, '']);
      expect(r.err).toMatch(new RegExp(`^Usage: aegis-pt-health ${name} `));
      expect(r.err).toContain(`aegis-pt-health ${name} --help`);
    },
  );
});

describe('times', () => {
  it('a relative time is accepted where a start is asked for', async () => {
    const dir = await runsDir(
      scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T16:00:00Z', scheduleDefinitions()),
    );
    const relative = await run(['gap', '--runs-dir', dir, '--created-after', '-2h', '--json']);
    const absolute = await run([
      'gap',
      '--runs-dir',
      dir,
      '--created-after',
      '2026-06-01T14:00:00Z',
      '--json',
    ]);
    expect(relative.code).toBe(0);
    expect(JSON.parse(relative.out)).toEqual(JSON.parse(absolute.out));
    const equals = await run(['gap', '--runs-dir', dir, '--created-after=-120m', '--json']);
    expect(JSON.parse(equals.out)).toEqual(JSON.parse(absolute.out));
  });

  it('a bare date is 00:00 ET that day, in every command that takes a time', async () => {
    const dir = await runsDir([]);
    for (const [flag, argv] of [
      ['from', ['gap', '--created-after', '2026-06-01', '--until', '2026-06-01T05:00:00Z']],
      ['until', ['gap', '--created-after', '2026-05-31T12:00:00Z', '--until', '2026-06-01']],
    ] as const) {
      const r = await run([...argv, '--runs-dir', dir, '--json']);
      expect(JSON.parse(r.out)[flag]).toMatch(/^2026-06-01T04:00:00(\.000)?Z$/);
    }
    const silence = await run(
      [
        'silence',
        'add',
        '--runs-dir',
        dir,
        '--code',
        'pending_order_buildup',
        '--reason',
        'r',
        '--until',
        '2026-06-02',
        '--json',
      ],
      '2026-06-01T16:00:00Z',
    );
    expect(JSON.parse(silence.out).ends_at).toMatch(/^2026-06-02T04:00:00(\.000)?Z$/);
  });

  it('a deploy start refuses a bare date but takes a relative time', async () => {
    const dir = await runsDir([]);
    const r = await run(['prove-deploy', '--runs-dir', dir, '--started-at', '2026-06-01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--started-at needs a time with an offset');
    const relative = await run(['prove-deploy', '--runs-dir', dir, '--started-at', '-20m', '--json']);
    expect(relative.code).toBe(4);
    expect(JSON.parse(relative.out).started_at).toMatch(/^2026-06-01T15:40:00(\.000)?Z$/);
  });
});
