// Detector thresholds (contract section 3): environment, overridden by the bundle's `config`.

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

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

function parseWholeNumber(name: string, raw: unknown, spec: NumericSpec): number {
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else if (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)) {
    value = Number(raw.trim());
  } else {
    throw new ConfigError(name, `must be a whole number >= ${spec.min}, got ${JSON.stringify(raw)}`);
  }
  if (!Number.isSafeInteger(value) || value < spec.min || (spec.max !== undefined && value > spec.max)) {
    const range = spec.max !== undefined ? `from ${spec.min} to ${spec.max}` : `>= ${spec.min}`;
    throw new ConfigError(name, `must be a whole number ${range}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

function parseClosures(raw: unknown): string[] {
  if (raw === undefined) return [];
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (items === null) {
    throw new ConfigError(CLOSURES_VARIABLE, 'must be a comma-separated list of YYYY-MM-DD dates');
  }
  const dates = items.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((d) => d !== '');
  for (const d of dates) {
    if (typeof d !== 'string' || !isCalendarDate(d)) {
      throw new ConfigError(CLOSURES_VARIABLE, `not a YYYY-MM-DD date: ${JSON.stringify(d)}`);
    }
  }
  return [...new Set(dates as string[])].sort();
}

/**
 * Builds the configuration from environment-style sources; later sources win (env, then bundle config).
 * An empty string in the environment is a configuration error, not a default: it is almost always a typo.
 */
export function resolveConfig(
  ...sources: readonly (Readonly<Record<string, unknown>> | undefined)[]
): DetectorConfig {
  const merged: Record<string, unknown> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const name of CONFIG_VARIABLES) {
      if (source[name] !== undefined) merged[name] = source[name];
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(NUMERIC_VARIABLES)) {
    out[spec.key] = merged[name] === undefined ? spec.fallback : parseWholeNumber(name, merged[name], spec);
  }
  for (const [warnName, criticalName] of WARN_CRITICAL_PAIRS) {
    const warn = out[NUMERIC_VARIABLES[warnName].key] as number;
    const critical = out[NUMERIC_VARIABLES[criticalName].key] as number;
    if (warn > critical) {
      throw new ConfigError(warnName, `must be <= ${criticalName} (${warn} > ${critical})`);
    }
  }
  out.marketClosures = parseClosures(merged[CLOSURES_VARIABLE]);
  return out as unknown as DetectorConfig;
}

/** Only the AEGIS_PT_* entries of an environment, so the rest of process.env never reaches the core. */
export function pickConfigVariables(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

export const DEFAULT_CONFIG: DetectorConfig = resolveConfig();
