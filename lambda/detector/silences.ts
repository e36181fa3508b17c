// Silences: operator-made matchers that hold back notifications for a while. Pure: the active list comes
// in with the bundle (like `previous`); a silenced event is still evaluated, stored and counted.
import * as z from 'zod/mini';
import { parseTimestamp } from './time';
import type { DetectorEvent, InfoItem } from './types';

/** The conditions a task replacement causes (a deploy window silences these and nothing else). */
export const DEPLOY_WINDOW_CODES: readonly string[] = [
  'ecs_primary_count',
  'gateway_unhealthy',
  'trader_not_running',
  'dashboard_unreachable',
  'heartbeat_stale',
  'dual_primary',
];

const silenceSchema = z.object({
  id: z.string().check(z.minLength(1)),
  codes: z.array(z.string()).check(z.minLength(1)),
  signature: z.optional(z.string()),
  starts_at: z.string(),
  ends_at: z.string(),
  reason: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  include_escalations: z.boolean(),
  kind: z.optional(z.enum(['manual', 'deploy-window'])),
  expired_at: z.optional(z.string()),
  expired_by: z.optional(z.string()),
});

export type Silence = z.infer<typeof silenceSchema>;

/** What a notification says about the silences active at its run. */
export interface SilenceNote {
  readonly id: string;
  readonly kind: 'manual' | 'deploy-window';
  readonly codes: readonly string[];
  readonly until: string;
  readonly by: string;
  readonly reason: string;
  /** Open events this silence held back at this run. */
  readonly events: number;
}

/** The instant a silence stops: its end, or when it was expired by hand, whichever is first. */
export function silenceEndMs(s: Silence): number {
  const end = parseTimestamp(s.ends_at) ?? -Infinity;
  const expired = s.expired_at === undefined ? Infinity : (parseTimestamp(s.expired_at) ?? -Infinity);
  return Math.min(end, expired);
}

export function isActive(s: Silence, nowMs: number): boolean {
  const start = parseTimestamp(s.starts_at);
  return start !== undefined && start <= nowMs && nowMs < silenceEndMs(s);
}

/**
 * Reads the bundle's `silences` (an array, or absent). Malformed entries are dropped with one info
 * item: a broken silence must never hide an alert.
 */
export function readSilences(value: unknown, nowMs: number): { active: Silence[]; info?: InfoItem } {
  if (value === undefined || value === null) return { active: [] };
  if (!Array.isArray(value)) {
    return { active: [], info: { code: 'silences_ignored', summary: 'silences is not a list: ignored' } };
  }
  const active: Silence[] = [];
  const bad: number[] = [];
  value.forEach((item, i) => {
    const parsed = silenceSchema.safeParse(item);
    if (!parsed.success) bad.push(i);
    else if (isActive(parsed.data, nowMs)) active.push(parsed.data);
  });
  return bad.length === 0
    ? { active }
    : {
        active,
        info: {
          code: 'silences_ignored',
          summary: `${bad.length} malformed silence(s) ignored (index ${bad.join(', ')}): they silence nothing`,
        },
      };
}

/**
 * A deploy window silences `dual_primary` only for a heartbeat that still names the replaced task: a
 * Synology container, a non-Fargate platform or a second runtime outside the service still pages.
 */
function onlyReplacedTask(event: DetectorEvent): boolean {
  const d = event.details as Record<string, unknown>;
  const synology = d.synology_ibkr_containers_running;
  const platform = d.runtime_platform;
  return (
    (synology === null || synology === undefined || synology === 0) &&
    (platform === null || platform === undefined || platform === 'aws-fargate') &&
    /^heartbeat task \S+ is not a RUNNING task of the service$/.test(event.summary)
  );
}

/** The first active silence that covers this event, or undefined. */
export function silenceFor(event: DetectorEvent, active: readonly Silence[]): Silence | undefined {
  return active.find((s) => {
    if (!s.codes.includes(event.code)) return false;
    if (s.signature !== undefined && s.signature !== event.signature) return false;
    // The runbook's "stop and escalate" is not held back by a silence that did not say so.
    if (event.escalate && !s.include_escalations) return false;
    if (s.kind === 'deploy-window' && event.code === 'dual_primary' && !onlyReplacedTask(event)) return false;
    return true;
  });
}

export function silenceNotes(active: readonly Silence[], events: readonly DetectorEvent[]): SilenceNote[] {
  return active.map((s) => ({
    id: s.id,
    kind: s.kind ?? 'manual',
    codes: s.codes,
    until: new Date(silenceEndMs(s)).toISOString().replace('.000Z', 'Z'),
    by: s.created_by,
    reason: s.reason,
    events: events.filter((e) => e.silenced_by === s.id).length,
  }));
}
