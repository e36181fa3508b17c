// The operators' silences: add, list and expire, on the silences file of the state bucket (or a local
// directory) with conditional writes, so two operators never overwrite each other.
import { randomBytes } from 'node:crypto';
import { DEPLOY_WINDOW_CODES, isActive, silenceEndMs, type Silence } from '../../lambda/detector/silences';
import { formatUtc } from '../../lambda/detector/time';
import { WriteConflictError, type SilenceStore } from '../../lambda/ports';
import { AegisError } from '../../lambda/shared/errors';

/** The catalog's event codes (detector-contract.md section 5): a silence must name real ones. */
export const EVENT_CODES: readonly string[] = [
  'ecs_unavailable',
  'ecs_primary_count',
  'gateway_unhealthy',
  'trader_not_running',
  'task_restart_loop',
  'deployment_failed',
  'dual_primary',
  'dashboard_unreachable',
  'dashboard_invalid',
  'heartbeat_stale',
  'reconcile_pending',
  'position_mismatch',
  'post_close_reconcile_missing',
  'pending_order_buildup',
  'pending_order_stale',
  'pending_exits',
  'stuck_exits',
  'unknown_fill',
  'send_outcome_unknown',
  'broker_confirmation_required',
  'high_exit_attempts',
  'pnl_unknown_trades',
  'broker_import_positions',
  'pnl_anomaly',
  'market_data_degraded',
  'session_conflict',
  'ibkr_connectivity',
  'severe_log_burst',
  'monitor_gap',
];

/** Codes the runbook may say to stop and escalate for: silencing them needs --include-escalations. */
export const ESCALATING_CODES: readonly string[] = [
  'ecs_primary_count',
  'task_restart_loop',
  'dual_primary',
  'dashboard_unreachable',
  'heartbeat_stale',
  'reconcile_pending',
  'position_mismatch',
  'pending_order_buildup',
  'stuck_exits',
  'unknown_fill',
  'session_conflict',
  'ibkr_connectivity',
];

export const MAX_SILENCE_MS = 24 * 3_600_000;
/** Ended silences are kept this long for the record, then dropped from the file on the next write. */
const KEEP_ENDED_MS = 7 * 86_400_000;
const ATTEMPTS = 4;

export class SilenceError extends AegisError {
  constructor(message: string) {
    super(message);
    this.name = 'SilenceError';
  }
}

/** `30m`, `2h`, `1h30m`, `45s`: a duration in milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  const ms = m ? (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000 : NaN;
  if (!m || !(ms > 0))
    throw new SilenceError(`${flag} must be a duration like 30m, 2h or 1h30m, got ${JSON.stringify(text)}`);
  return ms;
}

export interface NewSilence {
  readonly codes: readonly string[];
  readonly signature?: string;
  readonly startsMs: number;
  readonly endsMs: number;
  readonly reason: string;
  readonly by: string;
  readonly includeEscalations: boolean;
  readonly kind?: 'manual' | 'deploy-window';
}

export function buildSilence(input: NewSilence, nowMs: number, maxMs = MAX_SILENCE_MS): Silence {
  const codes = [...new Set(input.codes.map((c) => c.trim()).filter((c) => c !== ''))];
  if (codes.length === 0) throw new SilenceError('--code needs at least one event code');
  const unknown = codes.filter((c) => !EVENT_CODES.includes(c));
  if (unknown.length > 0)
    throw new SilenceError(
      `unknown event code(s) ${unknown.join(', ')} (the catalog: ${EVENT_CODES.join(', ')})`,
    );
  if (
    input.signature !== undefined &&
    !codes.some((c) => input.signature === c || input.signature?.startsWith(`${c}:`))
  )
    throw new SilenceError(`--signature ${input.signature} does not belong to ${codes.join(', ')}`);
  if (!input.reason.trim())
    throw new SilenceError('--reason is required: say why, for whoever reads the alerts');
  if (input.endsMs <= nowMs)
    throw new SilenceError(`the silence would end in the past (${formatUtc(input.endsMs)})`);
  if (input.endsMs - input.startsMs > maxMs)
    throw new SilenceError(
      `a silence may last at most ${maxMs / 3_600_000} h; this one lasts ${((input.endsMs - input.startsMs) / 3_600_000).toFixed(1)} h`,
    );
  const id = `${input.kind === 'deploy-window' ? 'w' : 's'}-${formatUtc(nowMs).replace(/[-:]/g, '').slice(0, 13)}-${randomBytes(2).toString('hex')}`;
  return {
    id,
    codes,
    ...(input.signature !== undefined ? { signature: input.signature } : {}),
    starts_at: formatUtc(input.startsMs),
    ends_at: formatUtc(input.endsMs),
    reason: input.reason.trim(),
    created_by: input.by,
    created_at: formatUtc(nowMs),
    include_escalations: input.includeEscalations,
    kind: input.kind ?? 'manual',
  };
}

/** A deploy window: the conditions a task replacement causes, and nothing else. */
export function deployWindow(nowMs: number, durationMs: number, by: string, reason: string): Silence {
  return buildSilence(
    {
      codes: DEPLOY_WINDOW_CODES,
      startsMs: nowMs,
      endsMs: nowMs + durationMs,
      reason,
      by,
      includeEscalations: true,
      kind: 'deploy-window',
    },
    nowMs,
  );
}

/** Read, change, write on the version read; re-read and retry when another operator wrote first. */
async function update(
  store: SilenceStore,
  change: (silences: Silence[]) => Silence[],
  nowMs: number,
): Promise<Silence[]> {
  for (let attempt = 1; ; attempt++) {
    const read = await store.readSilences();
    if (read.problem) throw new SilenceError(`${read.problem}: fix or remove it before changing silences`);
    const kept = (read.silences as Silence[]).filter((s) => nowMs - silenceEndMs(s) < KEEP_ENDED_MS);
    const next = change(kept);
    try {
      await store.writeSilences(next, read.etag);
      return next;
    } catch (err) {
      if (!(err instanceof WriteConflictError) || attempt >= ATTEMPTS) throw err;
    }
  }
}

export async function addSilence(store: SilenceStore, silence: Silence, nowMs: number): Promise<Silence> {
  await update(store, (list) => [...list, silence], nowMs);
  return silence;
}

export async function expireSilence(
  store: SilenceStore,
  id: string,
  by: string,
  nowMs: number,
): Promise<Silence> {
  let expired: Silence | undefined;
  await update(
    store,
    (list) => {
      const found = list.find((s) => s.id === id);
      if (!found) throw new SilenceError(`no silence ${id} (see: silence list --all)`);
      if (silenceEndMs(found) <= nowMs)
        throw new SilenceError(`silence ${id} has already ended (${formatUtc(silenceEndMs(found))})`);
      expired = { ...found, expired_at: formatUtc(nowMs), expired_by: by };
      return list.map((s) => (s.id === id ? (expired as Silence) : s));
    },
    nowMs,
  );
  return expired as Silence;
}

export async function listSilences(store: SilenceStore, nowMs: number, all: boolean): Promise<Silence[]> {
  const read = await store.readSilences();
  if (read.problem) throw new SilenceError(read.problem);
  const list = read.silences as Silence[];
  return all ? list : list.filter((s) => silenceEndMs(s) > nowMs);
}

export function formatSilence(s: Silence, nowMs: number): string {
  const state = isActive(s, nowMs) ? 'ACTIVE ' : silenceEndMs(s) > nowMs ? 'PENDING' : 'ENDED  ';
  const until = s.expired_at ? `expired ${s.expired_at} by ${s.expired_by ?? '?'}` : `until ${s.ends_at}`;
  return `${state} ${s.id}  ${s.codes.join(',')}${s.signature ? ` [${s.signature}]` : ''}${s.include_escalations ? ' +escalations' : ''}  from ${s.starts_at} ${until}  by ${s.created_by}: ${s.reason}`;
}
