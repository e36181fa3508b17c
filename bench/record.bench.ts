// `npm run bench:record`: every reader of the run records at one-minute cadence, over a year of records
// in a bucket on moto (server mode, loopback) and in a local directory (--runs-dir): wall time and peak
// RSS of each command as a whole process over its default range, with the records that range holds, and
// the Lambda's daily digest from the bucket. A benchmark, not a test: the machine's load moves the
// numbers. Environment: BENCH_RUNS (default 3, median), BENCH_DAYS (365), BENCH_TIMEOUT_S (300),
// BENCH_CACHE (where the year is kept between runs, default bench/.out/record-year).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { etDate, etWallToUtc } from '../lambda/detector/time';
import { sessionsUpTo } from '../lambda/digest/kpi';
import { CADENCES } from '../lambda/shared/schedules';
import { DEFAULT_STACK_NAME } from '../lambda/shared/stack-outputs';
import { measuredOn, writeReadmeFigures } from '../scripts/readme-figures';
import { ensureSealed, ensureYear, yearRoot, type YearManifest } from './record/year';

const ROOT = process.cwd();
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
const CACHE = resolve(process.env.BENCH_CACHE ?? 'bench/.out/record-year');
const TIME = '/usr/bin/time';
const BUCKET = 'aegis-bench-records';
const REGION = 'ap-northeast-1';
const TARGET_MS = 5000;
/** The monitor function the stack's outputs name: gap, report and snapshot read its crons. */
const FUNCTION = 'aegis-bench-monitor';

const SPEC = {
  lastDay: '2026-11-30',
  days: Number(process.env.BENCH_DAYS ?? 365),
  largeEvery: 40,
  largePositions: 100,
  largeTrades: 200,
};
/** "Today" in the benchmark: the last day, whose digest went out; every earlier day is over. */
const TODAY = SPEC.lastDay;
/** A past session (the report and replay of a day that is over). */
const PAST = '2026-11-24';
/** When the benchmark's bucket was last sealed: today's hours up to 20:00 UTC are packed, the day is not over. */
const SEALED_AT = `${TODAY}T21:40:00Z`;
/** The 1m cadence the year was recorded at, as `gap --cron` takes it. */
const CRONS = [
  '--cron',
  `primary=${CADENCES['1m'].primary}`,
  '--cron',
  `fallback=${CADENCES['1m'].fallback}`,
];

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The ET days (or UTC instants) whose records the command's range holds. */
  readonly range: { readonly from: number; readonly to: number };
  readonly sources: readonly ('bucket' | 'dir')[];
}

interface Result {
  readonly name: string;
  readonly source: string;
  readonly records: number;
  readonly ms: number | null;
  readonly mb: number | null;
  readonly note?: string;
}

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const etDay = (date: string) => ({ from: etWallToUtc(date, 0, 0), to: etWallToUtc(nextDay(date), 0, 0) - 1 });

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** moto serving the year's bucket, seeded in its own process (bench/record/moto_seeded.py says why). */
async function startSeededMoto(dir: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const python = resolve(ROOT, '.venv/bin/python');
  if (!existsSync(python))
    throw new Error("moto is not installed: run 'bash scripts/ensure-python-tools.sh'");
  const port = await freePort();
  const deployed = [DEFAULT_STACK_NAME, FUNCTION, CADENCES['1m'].primary, CADENCES['1m'].fallback];
  const child = spawn(
    python,
    ['bench/record/moto_seeded.py', String(port), BUCKET, REGION, dir, ...deployed],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const ready = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) ok(out.trim());
    });
    child.once('exit', (code) => fail(new Error(`moto_seeded.py exited ${code}`)));
  });
  console.log(`moto: ${ready.replace(/^ready (\d+) ([\d.]+)$/, '$1 objects seeded in $2 s')}`);
  return { endpoint: `http://127.0.0.1:${port}`, child };
}

function recordsIn(manifest: YearManifest, range: { from: number; to: number }, root: string): number {
  // Counted from the keys' times (one listing of the days in range), as the readers filter them.
  let n = 0;
  for (const day of manifest.days) {
    const start = Date.parse(`${day.date}T00:00:00Z`);
    if (start > range.to || start + 86_400_000 <= range.from) continue;
    const folder = join(root, 'runs', day.date.replace(/-/g, '/'));
    for (const f of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
      const t = Date.parse(f.slice(0, f.indexOf('Z-') + 1));
      if (t >= range.from && t <= range.to) n++;
    }
  }
  return n;
}

function once(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { ms: number; mb: number } | { error: string } {
  const start = process.hrtime.bigint();
  // timeout(1) ends the whole process group at the deadline (the command under GNU time included).
  const seconds = String(Math.ceil(TIMEOUT_MS / 1000));
  const r = spawnSync(
    'timeout',
    ['-k', '5', seconds, TIME, '-f', '%M', process.execPath, 'dist/cli.js', ...args],
    { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) return { error: String(r.error) };
  if (r.status === 124 || r.status === 137 || r.signal)
    return { error: `stopped after ${(ms / 1000).toFixed(0)} s` };
  // 0 and 4 are answers (4: a negative verdict, e.g. a missing window); anything else is a failure.
  if (r.status !== 0 && r.status !== 4)
    return { error: `exit ${r.status}: ${r.stderr.trim().split('\n').at(-2)}` };
  const kb = Number(/(\d+)\s*$/.exec(r.stderr ?? '')?.[1] ?? NaN);
  return { ms, mb: kb / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(
  name: string,
  source: string,
  records: number,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Result {
  const runs: { ms: number; mb: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = once(args, env);
    if ('error' in r) return { name, source, records, ms: null, mb: null, note: r.error };
    runs.push(r);
  }
  const result = {
    name,
    source,
    records,
    ms: median(runs.map((r) => r.ms)),
    mb: median(runs.map((r) => r.mb)),
  };
  console.log(
    `${name.padEnd(44)} ${source.padEnd(7)} ${String(records).padStart(7)} ${(result.ms / 1000).toFixed(2).padStart(8)} s ${result.mb.toFixed(0).padStart(6)} MB`,
  );
  return result;
}

/** A Lambda-side job in a child process on the bucket (it measures itself), median of BENCH_RUNS. */
function childRuns(
  script: string,
  endpoint: string,
  nowIso: string,
  name: string,
  options: { runs?: number; expect?: string } = {},
): Result {
  const env = { ...process.env, ...emulatorEnv(endpoint) };
  delete env.AWS_PROFILE;
  const runs: { ms: number; mb: number }[] = [];
  let note: string | undefined;
  for (let i = 0; i < (options.runs ?? RUNS); i++) {
    const r = spawnSync(
      'timeout',
      [
        '-k',
        '5',
        String(Math.ceil(TIMEOUT_MS / 1000)),
        process.execPath,
        '--import',
        'tsx',
        script,
        BUCKET,
        nowIso,
      ],
      { encoding: 'utf8', env },
    );
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      note = `failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`;
      break;
    }
    const out = JSON.parse(line) as { ms: number; maxRssMb: number; state: string };
    if (options.expect && out.state !== options.expect) note = out.state;
    runs.push({ ms: out.ms, mb: out.maxRssMb });
  }
  if (runs.length === 0) return { name, source: 'bucket', records: 0, ms: null, mb: null, note };
  return {
    name,
    source: 'bucket',
    records: 0,
    ms: median(runs.map((r) => r.ms)),
    mb: median(runs.map((r) => r.mb)),
    note,
  };
}

function emulatorEnv(endpoint: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: REGION,
  };
}

function cases(manifest: YearManifest): Case[] {
  const sessions20 = sessionsUpTo(TODAY, 20, []);
  const sessions250 = sessionsUpTo(TODAY, 250, []);
  const span = (list: { date: string }[]) => ({ from: etDay(list[0].date).from, to: etDay(TODAY).to });
  const first = manifest.days[0].date;
  const both = ['bucket', 'dir'] as const;
  const day = (date: string) => ({
    from: Date.parse(`${date}T13:00:00Z`),
    to: Date.parse(`${date}T22:00:00Z`),
  });
  return [
    { name: 'kpi (20 sessions)', args: ['kpi', '--until', TODAY], range: span(sessions20), sources: both },
    {
      name: `report --date (a past day)`,
      args: ['report', '--date', PAST, '--out', '@OUT'],
      range: etDay(PAST),
      sources: both,
    },
    {
      name: `report --date (today)`,
      args: ['report', '--date', TODAY, '--out', '@OUT'],
      range: etDay(TODAY),
      sources: both,
    },
    {
      name: 'replay --from --to (a past day)',
      args: ['replay', '--from', PAST, '--to', nextDay(PAST), '--set', 'AEGIS_PT_PENDING_ORDER_WARN=3'],
      range: etDay(PAST),
      sources: both,
    },
    {
      name: 'replay --from --to (today)',
      args: ['replay', '--from', TODAY, '--to', nextDay(TODAY), '--set', 'AEGIS_PT_PENDING_ORDER_WARN=3'],
      range: etDay(TODAY),
      sources: both,
    },
    {
      name: 'gap (today)',
      args: ['gap', '--created-after', `${TODAY}T13:00:00Z`, '--until', `${TODAY}T22:00:00Z`, ...CRONS],
      range: day(TODAY),
      sources: both,
    },
    {
      name: 'gap (30 days)',
      args: [
        'gap',
        '--created-after',
        `${etDate(Date.parse(`${TODAY}T12:00:00Z`) - 29 * 86_400_000)}`,
        '--until',
        `${TODAY}T22:00:00Z`,
      ],
      range: {
        from: etWallToUtc(etDate(Date.parse(`${TODAY}T12:00:00Z`) - 29 * 86_400_000), 0, 0),
        to: Date.parse(`${TODAY}T22:00:00Z`),
      },
      sources: both,
    },
    {
      name: 'snapshot --gap-since (today)',
      args: ['snapshot', '--observation', '@OBS', '--gap-since', `${TODAY}T13:00:00Z`],
      range: day(TODAY),
      sources: both,
    },
    {
      name: 'snapshot (latest stored run)',
      args: ['snapshot'],
      range: { from: Date.parse(`${TODAY}T21:59:00Z`), to: Date.parse(`${TODAY}T22:00:00Z`) },
      sources: ['dir'],
    },
    {
      name: 'kpi --sessions 250 (memory)',
      args: ['kpi', '--until', TODAY, '--sessions', '250'],
      range: span(sessions250),
      sources: both,
    },
    {
      name: 'gap (the whole year, memory)',
      args: ['gap', '--created-after', first, '--until', `${TODAY}T22:00:00Z`, ...CRONS],
      range: { from: etWallToUtc(first, 0, 0), to: Date.parse(`${TODAY}T22:00:00Z`) },
      sources: both,
    },
  ];
}

/** The last run's observation of the day, as `snapshot --observation` takes it. */
function lastObservation(root: string, work: string): string {
  const folder = join(root, 'runs', TODAY.replace(/-/g, '/'));
  const last = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .at(-1)!;
  const record = JSON.parse(readFileSync(join(folder, last), 'utf8')) as { observation: unknown };
  const path = join(work, 'observation.json');
  writeFileSync(path, JSON.stringify(record.observation));
  return path;
}

async function main(): Promise<void> {
  spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  const t0 = Date.now();
  const manifest = await ensureYear(CACHE, SPEC, console.log);
  await ensureSealed(CACHE, Date.parse(SEALED_AT), console.log);
  const root = yearRoot(CACHE);
  console.log(
    `the year: ${manifest.records} run records on ${manifest.days.length} weekdays, ${(manifest.bytes / 1e6).toFixed(0)} MB (${manifest.days.filter((d) => d.large).length} days with large payloads), ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  const moto = await startSeededMoto(root);
  const work = mkdtempSync(join(tmpdir(), 'aegis-bench-record-'));
  const observation = lastObservation(root, work);
  const results: Result[] = [];
  try {
    const base: NodeJS.ProcessEnv = { ...process.env, AEGIS_PT_MARKET_CLOSURES: '' };
    delete base.AWS_PROFILE;
    for (const c of cases(manifest)) {
      const records = recordsIn(manifest, c.range, root);
      const args = c.args.map((a) =>
        a === '@OUT' ? join(work, 'report.html') : a === '@OBS' ? observation : a,
      );
      for (const source of c.sources) {
        const where = source === 'bucket' ? ['--bucket', BUCKET] : ['--runs-dir', root];
        const env = source === 'bucket' ? { ...base, ...emulatorEnv(moto.endpoint) } : base;
        const r = measure(c.name, source === 'bucket' ? 'bucket' : 'dir', records, [...args, ...where], env);
        if (r.note) console.log(`${c.name.padEnd(44)} ${source.padEnd(7)} ${r.note}`);
        results.push(r);
      }
    }
    const digestAt = `${TODAY}T21:45:00Z`;
    const digest = childRuns(
      'bench/record/digest-child.ts',
      moto.endpoint,
      digestAt,
      'digest (Lambda side job)',
      {
        expect: 'sent',
      },
    );
    results.push({
      ...digest,
      records: recordsIn(manifest, { from: etDay(TODAY).from, to: Date.parse(digestAt) }, root),
    });
    console.log(
      `digest: ${digest.ms === null ? digest.note : `${(digest.ms / 1000).toFixed(2)} s, ${digest.mb?.toFixed(0)} MB`}`,
    );
    // Last and once: it writes into the bucket (the day's last hour packed, the day summarised).
    const seal = childRuns(
      'bench/record/seal-child.ts',
      moto.endpoint,
      `${nextDay(TODAY)}T13:01:00Z`,
      'seal (Lambda side job, next morning)',
      { runs: 1, expect: 'sealed' },
    );
    results.push({ ...seal, records: recordsIn(manifest, etDay(TODAY), root) });
    console.log(
      `seal: ${seal.ms === null ? seal.note : `${(seal.ms / 1000).toFixed(2)} s, ${seal.mb?.toFixed(0)} MB`}`,
    );
  } finally {
    moto.child.stdin!.end();
    moto.child.kill('SIGTERM');
  }
  report(manifest, results);
}

function report(manifest: YearManifest, results: readonly Result[]): void {
  const cell = (r: Result) =>
    r.ms === null
      ? `| ${r.name} | ${r.source} | ${r.records} | ${r.note} | | MISSED |`
      : `| ${r.name} | ${r.source} | ${r.records} | ${(r.ms / 1000).toFixed(2)} | ${r.mb?.toFixed(0)} | ${r.ms < TARGET_MS ? 'ok' : 'MISSED'} |`;
  const large = manifest.days.filter((d) => d.large);
  const largeKb = large.length
    ? Math.round(large.reduce((n, d) => n + d.bytes, 0) / large.reduce((n, d) => n + d.records, 0) / 1024)
    : 0;
  const lines = [
    `${measuredOn()} A year of one-minute run records (${manifest.records} records on ${manifest.days.length} weekdays, ${(manifest.bytes / 1e6).toFixed(0)} MB; ${large.length} days with ~${largeKb} KB records) in a bucket on moto and in a directory (\`--runs-dir\`); each command as a whole process, median of ${RUNS} runs (target: under 5 s):`,
    '',
    '| command | source | records in range | wall s | peak MB | |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.map(cell),
  ];
  console.log(lines.join('\n'));
  writeReadmeFigures('bench-record', lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
