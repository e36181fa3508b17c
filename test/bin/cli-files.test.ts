// Files the CLI writes (gate --out, report, the work log) hold positions, PnL and the runtime's state:
// created owner-only (0600), never written through a planted symbolic link, an existing file tightened.
// Files it reads are named by what is wrong with them, never by a bare errno.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { pre } from '../ops/gate-fixtures';
import { captureIo } from '../helpers/cli-io';
import { runsDir, scheduledRecords } from '../helpers/runs';
import { sharedPath } from '../helpers/shared';

const PRE_NOW = '2026-06-01T14:05:30Z';
const mode = (path: string) => statSync(path).mode & 0o777;

async function run(args: string[]) {
  const io = captureIo({ now: PRE_NOW, env: {} });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

let dir: string;
let runs: string;
let obs: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aegis-files-'));
  runs = await runsDir(scheduledRecords('2026-06-01T13:00:00Z', '2026-06-01T14:05:00Z'));
  obs = join(dir, 'obs.json');
  writeFileSync(obs, JSON.stringify(pre()));
});

/** Each writer, given the path it must write. */
const WRITERS: ReadonlyArray<readonly [string, (path: string) => string[]]> = [
  ['gate --out', (p) => ['gate', '--phase', 'pre', '--observation', obs, '--out', p]],
  ['report --out', (p) => ['report', '--runs-dir', runs, '--date', '2026-06-01', '--out', p]],
  ['snapshot --append', (p) => ['snapshot', '--runs-dir', runs, '--append', p]],
];

describe.each(WRITERS)('%s', (_name, argv) => {
  it('creates the file owner-only (0600), whatever the umask allows', async () => {
    const path = join(dir, `new-${_name.replace(/\W/g, '')}`);
    const old = process.umask(0o000);
    try {
      const r = await run(argv(path));
      expect(r.err).not.toMatch(/internal error|cannot/);
    } finally {
      process.umask(old);
    }
    expect(mode(path)).toBe(0o600);
  });

  it('tightens an existing world-readable file to 0600', async () => {
    const path = join(dir, `old-${_name.replace(/\W/g, '')}`);
    writeFileSync(path, _name.startsWith('snapshot') ? '# log\n' : 'old\n');
    chmodSync(path, 0o644);
    await run(argv(path));
    expect(mode(path)).toBe(0o600);
  });

  it.each([
    ['an existing file', (target: string) => writeFileSync(target, 'precious\n')],
    ['nothing yet (a dangling link)', () => undefined],
  ])('never writes through a symbolic link to %s (exit 2, one line)', async (_what, prepare) => {
    const target = join(dir, `target-${Math.random().toString(36).slice(2)}`);
    prepare(target);
    const link = join(dir, `link-${Math.random().toString(36).slice(2)}`);
    symlinkSync(target, link);
    const r = await run(argv(link));
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(`: ${link} is a symbolic link: refusing to write through it`),
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    let after: string | undefined;
    try {
      after = readFileSync(target, 'utf8');
    } catch {
      after = undefined;
    }
    expect(after).toBe(_what === 'an existing file' ? 'precious\n' : undefined);
  });
});

/** Runs the real CLI, so a write that would wait on a FIFO forever is killed, not left hanging Jest. */
function cliProcess(args: string[]) {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_REGION: '' },
    });
    return { code: 0, err: '', out };
  } catch (caught) {
    const e = caught as { status: number | null; signal: string | null; stderr: string };
    return { code: e.status ?? e.signal, err: e.stderr ?? '', out: '' };
  }
}

describe.each(WRITERS)(
  '%s refuses what is not its own regular file, before changing a byte',
  (name, argv) => {
    const slug = name.replace(/\W/g, '');

    it('a FIFO: exit 2 at once, never waiting for a reader', () => {
      const fifo = join(dir, `fifo-${slug}`);
      execFileSync('mkfifo', [fifo]);
      const r = cliProcess(argv(fifo));
      expect(r.code).toBe(2);
      expect(r.err.trimEnd().split('\n').at(-1)).toMatch(`${fifo} is not a regular file`);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
    }, 60_000);

    it('a second hard link to another file: that file keeps its bytes and its mode', async () => {
      const target = join(dir, `precious-${slug}`);
      writeFileSync(target, earlierContent(name));
      chmodSync(target, 0o644);
      const link = join(dir, `hardlink-${slug}`);
      linkSync(target, link);
      const r = await run(argv(link));
      expect(r.code).toBe(2);
      expect(r.err.trimEnd().split('\n').at(-1)).toMatch(`${link} has 2 hard links`);
      expect(readFileSync(target, 'utf8')).toBe(earlierContent(name));
      expect(mode(target)).toBe(0o644);
    });

    (process.getuid?.() === 0 ? it : it.skip)(
      "another user's file: left as it was (their file would hold this output, readable by them)",
      async () => {
        const theirs = join(dir, `theirs-${slug}`);
        writeFileSync(theirs, earlierContent(name));
        chmodSync(theirs, 0o666);
        chownSync(theirs, 4321, 4321);
        const r = await run(argv(theirs));
        expect(r.code).toBe(2);
        expect(r.err.trimEnd().split('\n').at(-1)).toMatch(`${theirs} belongs to another user (uid 4321)`);
        expect(readFileSync(theirs, 'utf8')).toBe(earlierContent(name));
        expect(mode(theirs)).toBe(0o666);
      },
    );
  },
);

/** What was in a file before: a work log stays a work log, so only the refusal can explain the exit. */
function earlierContent(name: string): string {
  return name.startsWith('snapshot') ? '# their log\n' : 'precious\n';
}

describe('files the CLI reads', () => {
  it.each([
    [
      ['detect', '--observation', '/nonexistent/b.json'],
      'cannot read observation: no such file /nonexistent/b.json',
    ],
    [['gate', '--phase', 'pre', '--observation', '/nonexistent/b.json'], 'no such file /nonexistent/b.json'],
    [['invoke', '--event', '/nonexistent/e.json'], 'cannot read event: no such file /nonexistent/e.json'],
    [['detect', '--observation', '/'], 'cannot read observation: / is a directory, not a file'],
  ])('%j names the cause in words', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/ENOENT|EISDIR/);
  });

  it('an empty file or empty stdin says so, not "Unexpected end of JSON input"', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '\n');
    const file = await run(['detect', '--observation', empty]);
    expect([file.code, file.err]).toEqual([
      2,
      `aegis-pt-health detect: cannot read observation: the file ${empty} is empty\n`,
    ]);
    const io = captureIo({ stdin: '' });
    expect(await main(['detect'], io)).toBe(2);
    expect(io.err).toBe('aegis-pt-health detect: cannot read observation: stdin is empty\n');
  });

  it('still reads the shipped example', async () => {
    expect(
      (await run(['detect', '--observation', sharedPath('spec/examples/observation.healthy.json')])).code,
    ).toBe(0);
  });
});
