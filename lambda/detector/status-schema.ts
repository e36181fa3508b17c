// Field-by-field validation of the dashboard payload (contract section 2.1).
// A schema library rejects a whole object on one bad leaf; the contract wants the opposite: drop
// only the wrong-typed leaf, name its path, and keep evaluating everything else. Hence this walker.
import type { StatusV3 } from './types';
import { parseTimestamp } from './time';

export interface StatusValidation {
  /** The payload with every wrong-typed leaf removed; null when the payload is not an object. */
  readonly status: StatusV3 | null;
  /** Paths of wrong-typed fields, e.g. `pending_order_details[1].submitted_at` (at most maxIssues). */
  readonly invalid: readonly string[];
  /** How many fields were wrong-typed in all (may exceed `invalid.length`). */
  readonly invalidTotal: number;
  /** Why a listed path is invalid when the type was right but a limit was not ("over the limit of 2,000 items"). */
  readonly reasons?: Readonly<Record<string, string>>;
  /** Top-level fields absent or null ("not reported"). */
  readonly unavailable: readonly string[];
}

/**
 * Limits on what one payload may hold (contract 2.1: a field over a limit is wrong-typed, so it is
 * `dashboard_invalid` and skipped while every other field is still judged). They bound the work and
 * the size of everything derived from the payload (events, the snapshot, the messages). A real
 * runtime reports tens of orders, positions and trades; these leave two orders of magnitude of room.
 */
export const STATUS_LIMITS = {
  /** Elements of any array (orders, positions, trades). */
  maxItems: 2000,
  /** Tags of one position. */
  maxTags: 64,
  /** Characters of any string (ids, symbols, ARNs, reasons). */
  maxText: 2048,
  /** Paths of invalid fields kept in the validation result; the rest are only counted. */
  maxIssues: 50,
} as const;

/** Invalid paths, bounded: a payload of 100,000 bad elements must not make a 100,000-entry list. */
class Issues {
  readonly paths: string[] = [];
  readonly reasons: Record<string, string> = {};
  total = 0;
  push(path: string, value?: unknown): void {
    this.total++;
    if (this.paths.length >= STATUS_LIMITS.maxIssues) return;
    this.paths.push(path);
    if (value instanceof OverLimit) this.reasons[path] = value.reason;
  }
}
const INVALID = Symbol('invalid');

/** Invalid for its size, not its type: the operator is told which limit, not "wrong-typed". */
class OverLimit {
  constructor(readonly reason: string) {}
}
const count1000s = (n: number) => n.toLocaleString('en-US');
const isInvalid = (v: unknown): boolean => v === INVALID || v instanceof OverLimit;
/**
 * Returns the cleaned value, undefined when absent or null, or INVALID. Containers record their
 * children's paths; paths are only built on failure, since this runs over every leaf of every run.
 */
type Field = (value: unknown, path: string, issues: Issues) => unknown;

const MISSING = (v: unknown): boolean => v === undefined || v === null;

function leaf(check: (v: unknown) => unknown): Field {
  return (value) => {
    if (MISSING(value)) return undefined;
    const out = check(value);
    return out === undefined ? INVALID : out;
  };
}

const bool = leaf((v) => (typeof v === 'boolean' ? v : undefined));
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= STATUS_LIMITS.maxText;
const TEXT_OVER = new OverLimit(`over the limit of ${count1000s(STATUS_LIMITS.maxText)} characters`);
const text: Field = (value) => {
  if (MISSING(value)) return undefined;
  if (isText(value)) return value;
  return typeof value === 'string' ? TEXT_OVER : INVALID;
};
const count = leaf((v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined));
const integer = leaf((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined));
const finite = leaf((v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined));
const timestamp = leaf((v) => (parseTimestamp(v) !== undefined ? v : undefined));
const identifier = leaf((v) =>
  isText(v) && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined,
);
/**
 * A value judged by a rule rather than by its type (a trade's `pnl`): scalars pass (a long string is
 * cut), containers become a short marker. Never kept by reference, so no payload depth reaches the
 * output, the snapshot or JSON.stringify.
 */
const scalar: Field = (value) => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.length <= 64 ? value : `${value.slice(0, 61)}...`;
  if (value === null || typeof value !== 'object') return value;
  return Array.isArray(value) ? '[array]' : '[object]';
};

function oneOf<T extends string>(...allowed: T[]): Field {
  return leaf((v) => (typeof v === 'string' && (allowed as string[]).includes(v) ? v : undefined));
}

const CONTAINERS = new WeakSet<Field>();

function container(field: Field): Field {
  CONTAINERS.add(field);
  return field;
}

function object(shape: Readonly<Record<string, Field>>): Field {
  const keys = Object.keys(shape);
  const fields = keys.map((k) => shape[k]);
  const nested = fields.map((f) => CONTAINERS.has(f));
  return container((value, path, issues) => {
    if (MISSING(value)) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return INVALID;
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const raw = input[keys[i]];
      if (MISSING(raw)) continue;
      const cleaned = fields[i](raw, nested[i] ? `${path}.${keys[i]}` : '', issues);
      if (isInvalid(cleaned)) issues.push(`${path}.${keys[i]}`, cleaned);
      else if (cleaned !== undefined) out[keys[i]] = cleaned;
    }
    return out;
  });
}

/** Invalid elements are dropped one by one; the valid ones still count. Too many: the field is invalid. */
function arrayOf(element: Field, maxItems: number = STATUS_LIMITS.maxItems): Field {
  const nested = CONTAINERS.has(element);
  return container((value, path, issues) => {
    if (MISSING(value)) return undefined;
    if (!Array.isArray(value)) return INVALID;
    if (value.length > maxItems)
      return new OverLimit(`over the limit of ${count1000s(maxItems)} items: ${count1000s(value.length)}`);
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const cleaned = element(value[i], nested ? `${path}[${i}]` : '', issues);
      if (isInvalid(cleaned)) issues.push(`${path}[${i}]`, cleaned);
      else if (cleaned !== undefined) out.push(cleaned);
    }
    return out;
  });
}

const STATUS_FIELDS: Readonly<Record<keyof StatusV3, Field>> = {
  generated_at: timestamp,
  heartbeat_at: timestamp,
  runtime_platform: text,
  runtime_task_arn: text,
  synology_ibkr_containers_running: count,
  broker_reconcile_pending: bool,
  position_reconcile_pending: bool,
  entry_blocking_reconcile_pending: bool,
  last_position_reconcile: object({
    at: timestamp,
    ok: bool,
    matched: count,
    internal_count: count,
    broker_count: count,
  }),
  pending_orders: count,
  pending_order_details: arrayOf(
    object({
      order_id: identifier,
      symbol: text,
      purpose: oneOf('entry', 'exit'),
      submitted_at: timestamp,
      last_tws_code: integer,
    }),
  ),
  pending_exits: count,
  stuck_exits: count,
  broker_confirmation_required: bool,
  send_outcome_unknown: bool,
  unknown_fill: bool,
  max_exit_attempt_count: count,
  open_positions: arrayOf(
    object({
      symbol: text,
      qty: finite,
      tags: arrayOf(text, STATUS_LIMITS.maxTags),
      exit_attempt_count: count,
    }),
  ),
  recent_trades: arrayOf(
    object({
      trade_id: identifier,
      symbol: text,
      closed_at: timestamp,
      pnl: scalar,
      pnl_unknown: bool,
      exit_reason: text,
    }),
  ),
  market_data_status: oneOf('ok', 'degraded', 'down'),
  market_data_10197_recent: count,
  log_signals: object({
    window_sec: count,
    existing_session_detected: count,
    ibkr_1100: count,
    ibkr_1101: count,
    ibkr_1102: count,
    fatal: count,
    severe: count,
  }),
};

export const STATUS_FIELD_NAMES = Object.keys(STATUS_FIELDS) as (keyof StatusV3)[];

export function validateStatus(payload: unknown): StatusValidation {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { status: null, invalid: ['status_v3'], invalidTotal: 1, unavailable: [] };
  }
  const input = payload as Record<string, unknown>;
  const invalid = new Issues();
  const unavailable: string[] = [];
  const status: Record<string, unknown> = {};
  for (const name of STATUS_FIELD_NAMES) {
    const raw = input[name];
    if (MISSING(raw)) {
      unavailable.push(name);
      continue;
    }
    const cleaned = STATUS_FIELDS[name](raw, name, invalid);
    if (isInvalid(cleaned)) invalid.push(name, cleaned);
    else if (cleaned !== undefined) status[name] = cleaned;
  }
  const reasons = Object.keys(invalid.reasons).length > 0 ? { reasons: invalid.reasons } : {};
  return {
    status: status as StatusV3,
    invalid: invalid.paths,
    invalidTotal: invalid.total,
    unavailable,
    ...reasons,
  };
}
