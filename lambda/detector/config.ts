// Detector thresholds (contract section 3), parsed ONCE at the boundary (Lambda start, CLI start,
// `cdk synth`) into a typed, frozen DetectorConfig. A bundle's `config` goes through the same
// schema and overrides the typed config it is applied to (withBundleConfig).
import * as z from 'zod/mini';
import { ConfigError } from '../shared/errors';

export { ConfigError };

export interface DetectorConfig {
  readonly heartbeatStaleSec: number;
  readonly pendingOrderWarn: number;
  readonly pendingOrderCritical: number;
  readonly pendingOrderStaleSec: number;
  readonly marketData10197Warn: number;
  readonly highExitAttemptWarn: number;
  readonly highExitAttemptCritical: number;
  readonly openGraceMinute: number;
  readonly taskStartupGraceSec: number;
  readonly restartLoopCount: number;
  readonly restartWindowSec: number;
  readonly severeLogBurst: number;
  readonly persistMaxGapSec: number;
  readonly persistMinSec: number;
  readonly renotifyCriticalSec: number;
  readonly pendingOrderClearSec: number;
  readonly postCloseReconcileSec: number;
  readonly marketClosures: readonly string[];
}

type NumericKey = Exclude<keyof DetectorConfig, 'marketClosures'>;

interface NumericSpec {
  readonly key: NumericKey;
  readonly fallback: number;
  /** `*_SEC` and `*_MINUTE` may be 0; counts and thresholds start at 1. */
  readonly min: 0 | 1;
  readonly max?: number;
}

/** One line per variable: adding a setting is one line here plus one field in DetectorConfig. */
export const NUMERIC_VARIABLES: Readonly<Record<string, NumericSpec>> = {
  AEGIS_PT_HEARTBEAT_STALE_SEC: { key: 'heartbeatStaleSec', fallback: 300, min: 0 },
  AEGIS_PT_PENDING_ORDER_WARN: { key: 'pendingOrderWarn', fallback: 2, min: 1 },
  AEGIS_PT_PENDING_ORDER_CRITICAL: { key: 'pendingOrderCritical', fallback: 3, min: 1 },
  AEGIS_PT_PENDING_ORDER_STALE_SEC: { key: 'pendingOrderStaleSec', fallback: 600, min: 0 },
  AEGIS_PT_MARKET_DATA_10197_WARN: { key: 'marketData10197Warn', fallback: 10, min: 1 },
  AEGIS_PT_HIGH_EXIT_ATTEMPT_WARN: { key: 'highExitAttemptWarn', fallback: 12, min: 1 },
  AEGIS_PT_HIGH_EXIT_ATTEMPT_CRITICAL: { key: 'highExitAttemptCritical', fallback: 20, min: 1 },
  // Past 59 the "09:MM" grace would spill into the next hour, which the runbook never means.
  AEGIS_PT_OPEN_GRACE_MINUTE: { key: 'openGraceMinute', fallback: 35, min: 0, max: 59 },
  AEGIS_PT_TASK_STARTUP_GRACE_SEC: { key: 'taskStartupGraceSec', fallback: 300, min: 0 },
  AEGIS_PT_RESTART_LOOP_COUNT: { key: 'restartLoopCount', fallback: 2, min: 1 },
  AEGIS_PT_RESTART_WINDOW_SEC: { key: 'restartWindowSec', fallback: 3600, min: 0 },
  AEGIS_PT_SEVERE_LOG_BURST: { key: 'severeLogBurst', fallback: 5, min: 1 },
  AEGIS_PT_PERSIST_MAX_GAP_SEC: { key: 'persistMaxGapSec', fallback: 900, min: 0 },
  // "No self-recovery" is a span of time, not a number of runs (contract 4): at the 5-minute cadence two
  // runs were 300 s apart; 240 s keeps that meaning at a one-minute cadence or after an ECS-event run.
  AEGIS_PT_PERSIST_MIN_SEC: { key: 'persistMinSec', fallback: 240, min: 0 },
  AEGIS_PT_RENOTIFY_CRITICAL_SEC: { key: 'renotifyCriticalSec', fallback: 0, min: 0 },
  AEGIS_PT_PENDING_ORDER_CLEAR_SEC: { key: 'pendingOrderClearSec', fallback: 1800, min: 0 },
  // The rule only looks until ET midnight of the session day (8 h after a 16:00 close): a longer wait
  // would never raise, which is silence, not patience.
  AEGIS_PT_POST_CLOSE_RECONCILE_SEC: { key: 'postCloseReconcileSec', fallback: 1800, min: 0, max: 28_800 },
};

export const CLOSURES_VARIABLE = 'AEGIS_PT_MARKET_CLOSURES';

const WARN_CRITICAL_PAIRS: readonly (readonly [string, string])[] = [
  ['AEGIS_PT_PENDING_ORDER_WARN', 'AEGIS_PT_PENDING_ORDER_CRITICAL'],
  ['AEGIS_PT_HIGH_EXIT_ATTEMPT_WARN', 'AEGIS_PT_HIGH_EXIT_ATTEMPT_CRITICAL'],
];

/** Every variable the detector reads, for the Lambda's environment and `--help`. */
export const CONFIG_VARIABLES: readonly string[] = [...Object.keys(NUMERIC_VARIABLES), CLOSURES_VARIABLE];

/** A whole number from JSON (number) or the environment (digits); '' is an error, almost always a typo. */
function wholeNumber(spec: NumericSpec) {
  const range = spec.max !== undefined ? `from ${spec.min} to ${spec.max}` : `>= ${spec.min}`;
  return z.transform((raw: unknown, ctx) => {
    const value =
      typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < spec.min || (spec.max !== undefined && value > spec.max)) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `must be a whole number ${range}, got ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    return value;
  });
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** `YYYY-MM-DD,...` (environment) or a JSON array of dates (bundle config); sorted, deduplicated. */
const closures = z.transform((raw: unknown, ctx) => {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (items === null) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: 'must be a comma-separated list of YYYY-MM-DD dates',
    });
    return z.NEVER;
  }
  const dates = items.map((i: unknown) => (typeof i === 'string' ? i.trim() : i)).filter((d) => d !== '');
  const bad = dates.find((d) => typeof d !== 'string' || !isCalendarDate(d));
  if (bad !== undefined) {
    ctx.issues.push({ code: 'custom', input: raw, message: `not a YYYY-MM-DD date: ${JSON.stringify(bad)}` });
    return z.NEVER;
  }
  return [...new Set(dates as string[])].sort();
});

/**
 * The one schema: AEGIS_PT_* name -> validated value, every key optional (absent = not set here).
 * Unknown keys are dropped, so the rest of process.env never reaches the core.
 */
const settingsSchema = z.object({
  ...Object.fromEntries(
    Object.entries(NUMERIC_VARIABLES).map(([name, spec]) => [name, z.optional(wholeNumber(spec))]),
  ),
  [CLOSURES_VARIABLE]: z.optional(closures),
});

type Settings = Readonly<Record<string, number | string[] | undefined>>;

function parseSettings(raw: Readonly<Record<string, unknown>>): Settings {
  const defined: Record<string, unknown> = {};
  for (const name of CONFIG_VARIABLES) if (raw[name] !== undefined) defined[name] = raw[name];
  const result = settingsSchema.safeParse(defined);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'config'), issue.message);
  }
  return result.data as Settings;
}

function build(base: DetectorConfig, settings: Settings): DetectorConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [name, spec] of Object.entries(NUMERIC_VARIABLES)) {
    if (settings[name] !== undefined) out[spec.key] = settings[name];
  }
  if (settings[CLOSURES_VARIABLE] !== undefined)
    out.marketClosures = Object.freeze(settings[CLOSURES_VARIABLE]);
  for (const [warnName, criticalName] of WARN_CRITICAL_PAIRS) {
    const warn = out[NUMERIC_VARIABLES[warnName].key] as number;
    const critical = out[NUMERIC_VARIABLES[criticalName].key] as number;
    if (warn > critical)
      throw new ConfigError(warnName, `must be <= ${criticalName} (${warn} > ${critical})`);
  }
  return Object.freeze(out) as unknown as DetectorConfig;
}

const FALLBACKS: DetectorConfig = Object.freeze({
  ...Object.fromEntries(Object.values(NUMERIC_VARIABLES).map((s) => [s.key, s.fallback])),
  marketClosures: Object.freeze([] as string[]),
}) as unknown as DetectorConfig;

export const DEFAULT_CONFIG: DetectorConfig = build(FALLBACKS, {});

/**
 * Parses environment-style sources into the typed config; later sources win. Call it once per
 * process (or per synth) at the boundary, and pass the result on.
 */
export function parseDetectorConfig(
  ...sources: readonly (Readonly<Record<string, unknown>> | undefined)[]
): DetectorConfig {
  const merged: Record<string, unknown> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const name of CONFIG_VARIABLES) if (source[name] !== undefined) merged[name] = source[name];
  }
  return build(FALLBACKS, parseSettings(merged));
}

/** A bundle's `config` (contract 2.3: it wins over the environment) through the same schema. */
export function withBundleConfig(base: DetectorConfig, bundleConfig: unknown): DetectorConfig {
  if (bundleConfig === undefined || bundleConfig === null) return base;
  if (typeof bundleConfig !== 'object' || Array.isArray(bundleConfig)) {
    throw new ConfigError('config', 'must be an object of AEGIS_PT_* settings');
  }
  const settings = parseSettings(bundleConfig as Record<string, unknown>);
  return Object.keys(settings).length === 0 ? base : build(base, settings);
}
