// The KPIs the runbook says must trend to zero, per session, from run records only (pure): the digest,
// the `kpi` command and the session report all count them here.
import { brokerImportKeys, isPnlUnknown, tradeName } from '../detector/rules/attribution';
import { sessionsBetween } from '../detector/market-clock';
import { validateStatus } from '../detector/status-schema';
import { etDate } from '../detector/time';
import type { InfoItem, OpenPosition, RecentTrade, RunRecord, SessionInfo } from '../detector/types';

export const KPI_NAMES = [
  'pnl_unknown_trades',
  'broker_import_positions',
  'max_exit_attempt_count',
  'task_replacements',
  'critical_minutes',
] as const;

export type KpiName = (typeof KPI_NAMES)[number];
export type Kpis = Readonly<Record<KpiName, number>>;
export type Trend = 'up' | 'down' | 'flat' | 'new';

export const KPI_LABELS: Readonly<Record<KpiName, string>> = {
  pnl_unknown_trades: 'trades with pnl_unknown',
  broker_import_positions: 'Broker/reconcile-import positions',
  max_exit_attempt_count: 'highest exit attempt count',
  task_replacements: 'task replacements',
  critical_minutes: 'minutes with a critical event',
};

export interface SessionKpis {
  readonly date: string;
  readonly early_close: boolean;
  readonly runs: number;
  /** Null when no run record exists for the session: unknown, never counted as zero. */
  readonly kpis: Kpis | null;
  /** Distinct ids behind the counts, so an operator can chase each one. */
  readonly trades: readonly string[];
  readonly positions: readonly string[];
  readonly tasks: readonly string[];
}

/** A run's critical state is assumed to last until the next run, but never longer than this. */
export const CRITICAL_CARRY_MS = 15 * 60_000;

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function tasksOf(details: unknown): string[] {
  const tasks = (details as { tasks?: unknown } | undefined)?.tasks;
  if (!Array.isArray(tasks)) return [];
  return tasks
    .map((t) => (t as { task?: unknown })?.task)
    .filter((t): t is string => typeof t === 'string' && t !== '?');
}

/**
 * The trades and positions a run's stored payload holds, read as the detector reads a payload
 * (validateStatus): the record keeps the payload raw, so a position's `tags` may be a string or hold
 * numbers, a trade's id an object. An element of another shape is dropped, a field of another type is
 * not reported; `positions` is absent when open_positions is not a list of positions at all.
 */
export function observedStatus(record: RunRecord): { trades: RecentTrade[]; positions?: OpenPosition[] } {
  const raw = record.observation?.status_v3 as
    { recent_trades?: unknown; open_positions?: unknown } | undefined;
  if (typeof raw !== 'object' || raw === null) return { trades: [] };
  const { status } = validateStatus({ recent_trades: raw.recent_trades, open_positions: raw.open_positions });
  return {
    trades: [...(status?.recent_trades ?? [])],
    ...(status?.open_positions ? { positions: [...status.open_positions] } : {}),
  };
}

const DASHBOARD_UNKNOWN = new Set(['dashboard_unreachable', 'dashboard_invalid']);

/**
 * The run's broker imports as occurrence keys (brokerImportKeys), or undefined when the run cannot say
 * (no payload, or no open_positions): such a run neither ends nor starts an import.
 */
function importsSeen(record: RunRecord): string[] | undefined {
  if (record.observation) {
    const positions = observedStatus(record).positions;
    return positions === undefined ? undefined : brokerImportKeys(positions);
  }
  // An older record without its observation: the event names one symbol per imported position.
  if (record.events.some((e) => DASHBOARD_UNKNOWN.has(e.code))) return undefined;
  const symbols = record.events
    .filter((e) => e.code === 'broker_import_positions')
    .flatMap((e) => strings(e.details?.symbols));
  return brokerImportKeys(symbols.map((symbol) => ({ symbol, tags: ['broker'] })));
}

/**
 * What one run record gives its session's KPIs: everything the KPIs read of it. A day summary keeps
 * these per record (lambda/records), so the KPIs of a day that is over cost one small read.
 */
export interface KpiFacts {
  readonly checked_at: string;
  /** The run saw a critical event. */
  readonly critical: boolean;
  readonly max_exit_attempt_count?: number;
  /** Trades with pnl_unknown (events and observation); absent: none. */
  readonly trades?: readonly string[];
  /** The broker imports it saw as occurrence keys (brokerImportKeys); absent: none. */
  readonly imports?: readonly string[];
  /** The run could not say which imports were open (no payload): it neither ends nor starts one. */
  readonly imports_unknown?: true;
  readonly tasks?: readonly string[];
}

/** Raised whenever kpiFacts reads a record differently: stored facts of another version are not used. */
export const KPI_FACTS_VERSION = 2;

export function kpiFacts(r: RunRecord): KpiFacts {
  const trades = new Set<string>();
  const tasks = new Set<string>();
  for (const e of r.events) {
    if (e.code === 'pnl_unknown_trades') strings(e.details?.trades).forEach((t) => trades.add(t));
    if (e.code === 'task_restart_loop') tasksOf(e.details).forEach((t) => tasks.add(t));
  }
  // `info` is stored unchecked (only the events' shape is validated on the way in).
  for (const i of Array.isArray(r.info) ? (r.info as unknown[]) : [])
    if ((i as InfoItem | null)?.code === 'task_replaced')
      tasksOf((i as InfoItem).details).forEach((t) => tasks.add(t));
  // Runs that kept their observation also name the trades the events summarised, read as the detector
  // reads them (a pnl_unknown that is not a boolean is "not reported").
  for (const t of observedStatus(r).trades) if (isPnlUnknown(t)) trades.add(tradeName(t));
  const imports = importsSeen(r);
  const v = r.signals?.max_exit_attempt_count;
  return {
    checked_at: r.checked_at,
    critical: r.events.some((e) => e.severity === 'critical'),
    ...(typeof v === 'number' && Number.isFinite(v) ? { max_exit_attempt_count: v } : {}),
    ...(trades.size ? { trades: [...trades] } : {}),
    ...(imports === undefined ? { imports_unknown: true as const } : imports.length ? { imports } : {}),
    ...(tasks.size ? { tasks: [...tasks] } : {}),
  };
}

/**
 * Imports counted by occurrence over the session's runs, as the post gate counts them: an import present
 * in a run but not in the previous run that could tell is a new one (imported, closed, imported again
 * is 2; two identical imports at once are 2).
 */
function importOccurrences(facts: readonly KpiFacts[]): { count: number; symbols: Set<string> } {
  let previous = new Set<string>();
  let count = 0;
  const symbols = new Set<string>();
  for (const f of facts) {
    if (f.imports_unknown) continue;
    const now = f.imports ?? [];
    for (const key of now) {
      if (previous.has(key)) continue;
      count++;
      symbols.add(key.slice(0, key.indexOf(' qty=')));
    }
    previous = new Set(now);
  }
  return { count, symbols };
}

function criticalMinutes(facts: readonly KpiFacts[]): number {
  const minutes = new Set<number>();
  facts.forEach((r, i) => {
    if (!r.critical) return;
    const t = Date.parse(r.checked_at);
    const next = i + 1 < facts.length ? Date.parse(facts[i + 1].checked_at) : t;
    const end = Math.min(next, t + CRITICAL_CARRY_MS);
    minutes.add(Math.floor(t / 60_000));
    for (let m = Math.floor(t / 60_000) + 1; m * 60_000 < end; m++) minutes.add(m);
  });
  return minutes.size;
}

/** The records of one session: checked on its ET calendar day, in time order. */
export function recordsOfSession(records: readonly RunRecord[], date: string): RunRecord[] {
  return records
    .filter((r) => etDate(Date.parse(r.checked_at)) === date)
    .sort((a, b) => a.checked_at.localeCompare(b.checked_at));
}

export function sessionKpis(session: SessionInfo, allRecords: readonly RunRecord[]): SessionKpis {
  return sessionKpisOfFacts(session, recordsOfSession(allRecords, session.date).map(kpiFacts));
}

/** The session's KPIs from the facts of its records (facts of other days are left out). */
export function sessionKpisOfFacts(session: SessionInfo, allFacts: readonly KpiFacts[]): SessionKpis {
  const facts = allFacts
    .filter((f) => etDate(Date.parse(f.checked_at)) === session.date)
    .sort((a, b) => a.checked_at.localeCompare(b.checked_at));
  const trades = new Set<string>();
  const imports = importOccurrences(facts);
  const tasks = new Set<string>();
  let maxExit = 0;
  for (const f of facts) {
    if (f.max_exit_attempt_count !== undefined) maxExit = Math.max(maxExit, f.max_exit_attempt_count);
    f.trades?.forEach((t) => trades.add(t));
    f.tasks?.forEach((t) => tasks.add(t));
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    date: session.date,
    early_close: session.early_close,
    runs: facts.length,
    kpis:
      facts.length === 0
        ? null
        : {
            pnl_unknown_trades: trades.size,
            broker_import_positions: imports.count,
            max_exit_attempt_count: maxExit,
            task_replacements: tasks.size,
            critical_minutes: criticalMinutes(facts),
          },
    trades: sorted(trades),
    positions: sorted(imports.symbols),
    tasks: sorted(tasks),
  };
}

/** Each KPI against the mean of the earlier sessions that have records: up, down, flat, or new. */
export function kpiTrend(current: Kpis, earlier: readonly SessionKpis[]): Record<KpiName, Trend> {
  const known = earlier.map((s) => s.kpis).filter((k): k is Kpis => k !== null);
  const out = {} as Record<KpiName, Trend>;
  for (const name of KPI_NAMES) {
    if (known.length === 0) {
      out[name] = 'new';
      continue;
    }
    const mean = known.reduce((sum, k) => sum + k[name], 0) / known.length;
    out[name] = current[name] > mean ? 'up' : current[name] < mean ? 'down' : 'flat';
  }
  return out;
}

export interface KpiRow extends SessionKpis {
  /** Against the earlier sessions of the same listing; null when this session has no records. */
  readonly trend: Record<KpiName, Trend> | null;
}

/** Sessions in date order, each with its trend against the ones before it. */
export function kpiRows(sessions: readonly SessionInfo[], records: readonly RunRecord[]): KpiRow[] {
  return kpiRowsOf(sessions.map((s) => sessionKpis(s, records)));
}

/** Each session's KPIs (however they were counted) in date order, with its trend against the earlier ones. */
export function kpiRowsOf(perSession: readonly SessionKpis[]): KpiRow[] {
  const per = [...perSession].sort((a, b) => a.date.localeCompare(b.date));
  return per.map((s, i) => ({ ...s, trend: s.kpis ? kpiTrend(s.kpis, per.slice(0, i)) : null }));
}

/** A plain-text table, one session per line, newest last. */
export function formatKpiTable(rows: readonly KpiRow[]): string {
  const head = ['session', 'runs', 'pnl_unknown', 'broker_import', 'max_exit_att', 'task_repl', 'crit_min'];
  const lines = [head.map((h, i) => (i === 0 ? h.padEnd(13) : h.padStart(14))).join('')];
  for (const r of rows) {
    const cells = KPI_NAMES.map((n) =>
      r.kpis === null ? '-' : `${r.kpis[n]}${r.trend ? ` ${r.trend[n]}` : ''}`,
    );
    lines.push(
      [
        `${r.date}${r.early_close ? '*' : ' '}`.padEnd(13),
        String(r.runs).padStart(14),
        ...cells.map((c) => c.padStart(14)),
      ].join(''),
    );
  }
  lines.push(
    '* early close; "-" no run records; up/down/flat against the mean of the earlier sessions listed',
  );
  return lines.join('\n');
}

const DAY_MS = 86_400_000;
const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The last `count` NYSE sessions up to and including `until` (weekends and holidays skipped). */
export function sessionsUpTo(until: string, count: number, closures: readonly string[]): SessionInfo[] {
  // N sessions always fit in 1.5 N + 14 calendar days.
  return sessionsBetween(shiftDate(until, -Math.ceil(count * 1.5) - 14), until, closures).slice(-count);
}
