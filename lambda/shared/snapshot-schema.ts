// The whole stored snapshot, validated (zod/mini: tree-shakable, so the Lambda bundle stays small).
// A snapshot that reads but cannot be used must never brick the monitor: what is valid of its events
// is salvaged (so their resolutions are still told), the rest is dropped with a reason.
import * as z from 'zod/mini';
import { parseTimestamp } from '../detector/time';
import { OUTPUT_SCHEMA, type DetectorEvent, type DetectorOutput } from '../detector/types';
import type { Announced } from '../detector/announcements';
import { HANDOFF_DONE_MAX, type HandoffCursor } from '../detector/handoff-cursor';
import { EARLIER_MAX, type NotificationLog } from '../detector/notification-log';
import type { DeliveryClaim, LegacyClaim, StoredSnapshot } from '../ports';

const timestamp = z.string().check(z.refine((v) => parseTimestamp(v) !== undefined, 'not a timestamp'));

const eventSchema = z.looseObject({
  code: z.string(),
  severity: z.enum(['warn', 'critical']),
  signature: z.string(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  first_seen_at: timestamp,
  consecutive: z.int().check(z.minimum(1)),
  escalate: z.boolean(),
  notified_at: z.optional(timestamp),
  resolved_at: z.optional(timestamp),
  undelivered: z.optional(z.boolean()),
});

const outputSchema = z.looseObject({
  schema: z.literal(OUTPUT_SCHEMA),
  checked_at: timestamp,
  clock: z.looseObject({
    utc: z.string(),
    et: z.string(),
    jst: z.string(),
    market: z.enum(['open', 'pre_open', 'after_close', 'closed']),
    past_open_grace: z.boolean(),
    session: z.nullable(
      z.looseObject({ date: z.string(), open: z.string(), close: z.string(), early_close: z.boolean() }),
    ),
  }),
  signals: z.record(z.string(), z.number()),
  events: z.array(eventSchema),
  new_events: z.array(eventSchema),
  resolved_events: z.array(eventSchema),
  info: z.array(z.looseObject({ code: z.string(), summary: z.string() })),
  decision: z.enum(['observe', 'notify', 'escalate']),
  decision_reason: z.string(),
  trigger: z.optional(z.looseObject({ trigger: z.string() })),
});

const legacyClaimSchema = z.object({
  state: z.enum(['pending', 'failed']),
  run_id: z.string(),
  claimed_at: timestamp,
});

const claimSchema = z.object({ run_id: z.string(), claimed_at: timestamp, expires_at: timestamp });

const entryFields = {
  code: z.string(),
  summary: z.string(),
  severity: z.enum(['warn', 'critical']),
  escalate: z.boolean(),
  first_seen_at: z.string(),
  level: z.enum(['warn', 'critical', 'escalate']),
  resolved_at: z.optional(z.string()),
};
const audienceLogSchema = z.object({
  told: z.record(z.string(), z.object({ ...entryFields, told_at: timestamp })),
  owed: z.record(
    z.string(),
    z.object({
      ...entryFields,
      due_at: timestamp,
      earlier: z.optional(
        z.array(z.object({ ...entryFields, due_at: timestamp })).check(z.maxLength(EARLIER_MAX)),
      ),
    }),
  ),
  ended: z.optional(
    z.record(
      z.string(),
      z.object({ first_seen_at: z.string(), level: entryFields.level, ended_at: timestamp }),
    ),
  ),
});
const handoffCursorSchema = z.object({
  after: z.string(),
  done: z.array(z.string()).check(z.maxLength(HANDOFF_DONE_MAX)),
});
const announcedLogSchema = z.record(z.string(), z.object({ told_at: timestamp, text: z.string() }));
const announcedSchema = z.object({
  page: z.optional(announcedLogSchema),
  email: z.optional(announcedLogSchema),
  chat: z.optional(announcedLogSchema),
});
const nflogSchema = z.object({
  page: z.optional(audienceLogSchema),
  email: z.optional(audienceLogSchema),
  chat: z.optional(audienceLogSchema),
});

/** The delivery state beside the output: each part that does not validate is dropped, with why. */
function deliveryParts(doc: Record<string, unknown>): {
  parts: Omit<StoredSnapshot, 'output'>;
  problems: string[];
} {
  const problems: string[] = [];
  const part = <T>(key: string, schema: z.ZodMiniType<T>): T | undefined => {
    if (doc[key] === undefined) return undefined;
    const read = schema.safeParse(doc[key]);
    if (read.success) return doc[key] as T;
    problems.push(`${key}: ${issueText(read.error)}`);
    return undefined;
  };
  const nflog = part<NotificationLog>('nflog', nflogSchema);
  const claim = part<DeliveryClaim>('claim', claimSchema);
  const observed = part<string>('observed_at', timestamp);
  const delivery = part<LegacyClaim>('delivery', legacyClaimSchema);
  const announced = part<Announced>('announced', announcedSchema);
  const handoff = part<HandoffCursor>('handoff', handoffCursorSchema);
  return {
    parts: {
      ...(handoff ? { handoff } : {}),
      ...(observed !== undefined ? { observed_at: observed } : {}),
      ...(nflog ? { nflog } : {}),
      ...(claim ? { claim } : {}),
      ...(announced ? { announced } : {}),
      // An unreadable legacy claim counts as a failed delivery: its events are told again.
      ...(delivery
        ? { delivery }
        : doc.delivery !== undefined
          ? { delivery: { state: 'failed' as const, run_id: 'unknown', claimed_at: String(doc.checked_at) } }
          : {}),
    },
    problems,
  };
}

export type SnapshotParse =
  { readonly snapshot: StoredSnapshot; readonly problem?: string } | { readonly problem: string };

function issueText(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || 'root'}: ${issue.message}`;
}

/** The valid events of a list, or none. */
function validEvents(value: unknown): DetectorEvent[] {
  if (!Array.isArray(value)) return [];
  return value.filter((e) => eventSchema.safeParse(e).success) as DetectorEvent[];
}

/**
 * A whole valid snapshot; else, when at least `checked_at` is valid, its valid events (open and
 * resolved) as a minimal output, with the problem; else only the problem.
 */
export function parseStoredSnapshot(value: unknown): SnapshotParse {
  const doc = (
    typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value }
  ) as Record<string, unknown>;
  const rest: Record<string, unknown> = { ...doc };
  for (const key of ['delivery', 'claim', 'nflog', 'observed_at', 'announced', 'handoff']) delete rest[key];
  const { parts, problems } = deliveryParts(doc);
  const full = outputSchema.safeParse(rest);
  if (full.success) {
    const snapshot = { output: rest as unknown as DetectorOutput, ...parts };
    return problems.length === 0 ? { snapshot } : { snapshot, problem: problems.join('; ') };
  }
  const why = [issueText(full.error), ...problems].join('; ');
  const checkedAt = timestamp.safeParse(rest.checked_at);
  if (!checkedAt.success) return { problem: why };
  const checked = rest.checked_at as string;
  const salvaged: DetectorOutput = {
    schema: OUTPUT_SCHEMA,
    checked_at: checked,
    clock: {
      utc: checked,
      et: checked,
      jst: checked,
      market: 'closed',
      past_open_grace: false,
      session: null,
    },
    signals: {},
    events: validEvents(rest.events),
    new_events: [],
    resolved_events: validEvents(rest.resolved_events),
    info: [],
    decision: 'observe',
    decision_reason: 'salvaged from an unusable snapshot',
  };
  return { snapshot: { output: salvaged, ...parts }, problem: why };
}
