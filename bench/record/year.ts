// A year of run records at the one-minute cadence, for `npm run bench:record`: the demo day's records
// (the real handler's output, each with its observation) are the templates. Every scheduled window of the
// 1m crons on every weekday gets the demo record of its schedule nearest before it in the day, with every
// timestamp in it shifted to the window's time, its own run id and key; the demo's ECS-event runs recur
// daily. Some days carry large dashboard payloads. Deterministic, so a cached copy can be reused.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsObjectStore } from '../../lambda/adapters/fs-objects';
import { KPI_FACTS_VERSION } from '../../lambda/digest/kpi';
import { ObjectSealer } from '../../lambda/records/seal';
import { DAY_SUMMARY_SCHEMA, HOUR_PACK_SCHEMA, runKey } from '../../lambda/shared/state-layout';
import { runDemo } from '../../lib/demo/run-demo';
import { etDate, formatAtOffset } from '../../lambda/detector/time';
import type { RunRecord } from '../../lambda/detector/types';
import { firings, parseCron } from '../../lambda/shared/cron';
import { CADENCES } from '../../lambda/shared/schedules';
import { seeded } from '../seeded';

export interface YearSpec {
  /** The last UTC date with records (YYYY-MM-DD). */
  readonly lastDay: string;
  /** Calendar days up to and including lastDay. */
  readonly days: number;
  /** Every Nth weekday carries a large dashboard payload (positions and trades). */
  readonly largeEvery: number;
  readonly largePositions: number;
  readonly largeTrades: number;
}

export interface YearDay {
  readonly date: string;
  readonly records: number;
  readonly bytes: number;
  readonly large: boolean;
}

export interface YearManifest {
  readonly version: number;
  readonly spec: YearSpec;
  readonly records: number;
  readonly bytes: number;
  readonly days: readonly YearDay[];
}

/** Bumped whenever what the generator writes changes, so a cached year is made again. */
const VERSION = 3;
const MANIFEST = 'year.json';
const DAY_MS = 86_400_000;

const TOKEN =
  /"trigger":\{"trigger":"(schedule:[a-z]+)"(?:,"execution_id":"[^"]*")?(?:,"scheduled_time":"[^"]*")?\}|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})|"(\d{4}-\d{2}-\d{2})"|"run_id":"([^"]*)"/g;

type Part =
  | string
  | { readonly ms: number; readonly millis: boolean; readonly offset: string | null }
  | { readonly date: true }
  | { readonly runId: true }
  | { readonly scheduled: string };

interface Template {
  readonly trigger: string;
  /** Milliseconds after 00:00 UTC of its day. */
  readonly timeOfDay: number;
  readonly checkedMs: number;
  readonly parts: readonly Part[];
}

function offsetMinutes(offset: string): number {
  const sign = offset[0] === '-' ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

function tokenize(text: string, checkedMs: number, trigger: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    parts.push(text.slice(last, m.index));
    if (m[1] !== undefined) parts.push({ scheduled: m[1] });
    else if (m[2] !== undefined) {
      const offset = m[3] === 'Z' ? null : m[3];
      parts.push({ ms: Date.parse(m[2] + m[3]), millis: m[2].includes('.'), offset });
    } else if (m[4] !== undefined) parts.push({ date: true });
    else parts.push({ runId: true });
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { trigger, timeOfDay: checkedMs % DAY_MS, checkedMs, parts };
}

/** A run as EventBridge Scheduler starts it: its execution id and the time it was scheduled for. */
interface Scheduled {
  readonly executionId: string;
  readonly windowMs: number;
}

function render(t: Template, atMs: number, runId: string, scheduled: Scheduled | null): string {
  const delta = atMs - t.checkedMs;
  const date = `"${etDate(atMs)}"`;
  let out = '';
  for (const p of t.parts) {
    if (typeof p === 'string') out += p;
    else if ('ms' in p) {
      const ms = p.ms + delta;
      if (p.offset !== null) out += formatAtOffset(ms, offsetMinutes(p.offset));
      else out += p.millis ? new Date(ms).toISOString() : new Date(ms).toISOString().replace('.000Z', 'Z');
    } else if ('date' in p) out += date;
    else if ('scheduled' in p)
      out += scheduled
        ? `"trigger":{"trigger":"${p.scheduled}","execution_id":"${scheduled.executionId}","scheduled_time":"${new Date(scheduled.windowMs).toISOString().replace('.000Z', 'Z')}"}`
        : `"trigger":{"trigger":"${p.scheduled}"}`;
    else out += `"run_id":"${runId}"`;
  }
  return out;
}

function hex(random: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function uuid(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** A payload with many positions and trades: the dashboard of a busy day. */
function enlarge(record: RunRecord, spec: YearSpec): RunRecord {
  const status = record.observation?.status_v3 as Record<string, unknown> | undefined;
  if (!status || typeof status !== 'object') return record;
  const at = record.checked_at;
  const positions = Array.from({ length: spec.largePositions }, (_, i) => ({
    symbol: `SYM${String(i).padStart(3, '0')}`,
    qty: 10 + (i % 40),
    tags: ['strategy:momo', `bucket:${i % 7}`],
    exit_attempt_count: i % 3,
    opened_at: at,
  }));
  const trades = Array.from({ length: spec.largeTrades }, (_, i) => ({
    trade_id: `t-large-${String(i).padStart(4, '0')}`,
    symbol: `SYM${String(i % spec.largePositions).padStart(3, '0')}`,
    closed_at: at,
    pnl: ((i * 37) % 200) - 100 + 0.25,
    pnl_unknown: false,
    exit_reason: i % 2 ? 'take_profit' : 'stop_loss',
  }));
  return {
    ...record,
    observation: {
      ...record.observation!,
      status_v3: { ...status, open_positions: positions, recent_trades: trades },
    },
  };
}

function templatesFrom(records: readonly RunRecord[], spec: YearSpec, large: boolean): Template[] {
  return records.map((r) => {
    const record = large ? enlarge(r, spec) : r;
    return tokenize(JSON.stringify(record), Date.parse(r.checked_at), r.trigger.trigger);
  });
}

/** The demo day's run records, in time order: the templates of every generated day. */
async function demoRecords(): Promise<RunRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-bench-demo-'));
  try {
    await runDemo(dir, () => {});
    const day = join(dir, 'runs/2026/06/01');
    return readdirSync(day)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(day, f), 'utf8')) as RunRecord)
      .sort((a, b) => a.checked_at.localeCompare(b.checked_at));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The template of that trigger nearest before the time of day (or its first one). */
function templateFor(templates: readonly Template[], trigger: string, timeOfDay: number): Template {
  const own = templates.filter((t) => t.trigger === trigger);
  return own.filter((t) => t.timeOfDay <= timeOfDay).at(-1) ?? own[0];
}

function readManifest(dir: string): YearManifest | null {
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as YearManifest;
  } catch {
    return null;
  }
}

const sameSpec = (a: YearSpec, b: YearSpec) => JSON.stringify(a) === JSON.stringify(b);

/** Where the year's objects are, laid out like the bucket (runs/YYYY/MM/DD/...). */
export const yearRoot = (dir: string) => join(dir, 'bucket');

/** The year under `dir` (its objects in yearRoot(dir)), made unless a copy of the same spec is there. */
export async function ensureYear(
  dir: string,
  spec: YearSpec,
  log: (line: string) => void,
): Promise<YearManifest> {
  const cached = readManifest(dir);
  if (cached && cached.version === VERSION && sameSpec(cached.spec, spec)) return cached;
  rmSync(dir, { recursive: true, force: true });
  const root = yearRoot(dir);
  mkdirSync(root, { recursive: true });
  log(`generating a year of run records into ${root} ...`);
  const demo = await demoRecords();
  const normal = templatesFrom(demo, spec, false);
  const large = templatesFrom(demo, spec, true);
  const events = normal.filter((t) => t.trigger === 'ecs-event');
  const crons = Object.entries(CADENCES['1m']).map(([name, cron]) => ({
    trigger: `schedule:${name}`,
    cron: parseCron(cron),
  }));
  const random = seeded(20);
  const days: YearDay[] = [];
  const end = Date.parse(`${spec.lastDay}T00:00:00Z`);
  let weekday = 0;
  for (let day = end - (spec.days - 1) * DAY_MS; day <= end; day += DAY_MS) {
    const stamps: { at: number; trigger: string; windowMs?: number }[] = [];
    for (const c of crons)
      for (const at of firings(c.cron, day, day + DAY_MS - 1))
        stamps.push({ at: at + 5_000 + Math.floor(random() * 30_000), trigger: c.trigger, windowMs: at });
    if (stamps.length === 0) continue;
    weekday++;
    for (const e of events) stamps.push({ at: day + e.timeOfDay, trigger: 'ecs-event' });
    const isLarge = weekday % spec.largeEvery === 0;
    const set = isLarge ? large : normal;
    let bytes = 0;
    const folder = join(
      root,
      dirname(
        runKey({
          checked_at: new Date(day).toISOString(),
          trigger: { trigger: 'x' },
        } as unknown as RunRecord),
      ),
    );
    mkdirSync(folder, { recursive: true });
    for (const s of stamps) {
      const template = templateFor(set, s.trigger, s.at - day);
      const runId = uuid(random);
      const at = s.at - (s.at % 1000);
      const scheduled = s.windowMs === undefined ? null : { executionId: uuid(random), windowMs: s.windowMs };
      const text = render(template, at, runId, scheduled);
      const checkedAt = new Date(at).toISOString().replace('.000Z', 'Z');
      const key = runKey({
        checked_at: checkedAt,
        trigger: { trigger: s.trigger },
        run_id: runId,
      } as unknown as RunRecord);
      writeFileSync(join(root, key), text);
      bytes += text.length;
    }
    days.push({
      date: new Date(day).toISOString().slice(0, 10),
      records: stamps.length,
      bytes,
      large: isLarge,
    });
  }
  const manifest: YearManifest = {
    version: VERSION,
    spec,
    records: days.reduce((n, d) => n + d.records, 0),
    bytes: days.reduce((n, d) => n + d.bytes, 0),
    days,
  };
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest));
  return manifest;
}

/**
 * The year as the monitor leaves it: every hour packed and every day summarised by the Lambda's side
 * job (the same code, lambda/records/seal.ts), up to `nowMs`. Done once per year copy and seal format.
 */
export async function ensureSealed(dir: string, nowMs: number, log: (line: string) => void): Promise<void> {
  const marker = join(dir, 'sealed.json');
  const want = JSON.stringify({ HOUR_PACK_SCHEMA, DAY_SUMMARY_SCHEMA, KPI_FACTS_VERSION, nowMs });
  try {
    if (readFileSync(marker, 'utf8') === want) return;
  } catch {
    // not sealed yet
  }
  const root = yearRoot(dir);
  // Create-only writes: what an older format left is removed first.
  rmSync(join(root, 'runs/days'), { recursive: true, force: true });
  for (const y of readdirSync(join(root, 'runs')).filter((d) => /^\d{4}$/.test(d)))
    for (const m of readdirSync(join(root, 'runs', y)))
      for (const d of readdirSync(join(root, 'runs', y, m)))
        rmSync(join(root, 'runs', y, m, d, 'packs'), { recursive: true, force: true });
  log('sealing the year as the Lambda does (hour packs, day summaries) ...');
  const start = Date.now();
  const outcome = await new ObjectSealer(new FsObjectStore(root), { lookbackDays: 400 }).seal(
    nowMs,
    Date.now() + 3_600_000,
  );
  log(`sealed: ${JSON.stringify(outcome)} in ${((Date.now() - start) / 1000).toFixed(0)} s`);
  writeFileSync(marker, want);
}
