// The silences document's entries: their shape, their bounds and their times. Pure. The rules that
// decide whether an entry applies are in silence-rules.ts; silences.ts is the module others import.
import * as z from 'zod/mini';
import { SIGNATURE_MAX } from './bounds';
import { parseTimestamp } from './time';

/** The conditions a task replacement causes (a deploy window silences these and nothing else). */
export const DEPLOY_WINDOW_CODES: readonly string[] = [
  'ecs_primary_count',
  'gateway_unhealthy',
  'trader_not_running',
  'dashboard_unreachable',
  'heartbeat_stale',
  'dual_primary',
];

/** A silence lasts at most this long, and so does a chain of silences on one code (silence-chains.ts). */
export const MAX_SILENCE_MS = 24 * 3_600_000;
/** A deploy window lasts at most this long, and never past the session close. */
export const MAX_DEPLOY_WINDOW_MS = 2 * 3_600_000;
/** `gate --window` with no duration. */
export const DEFAULT_DEPLOY_WINDOW_MS = 30 * 60_000;
/**
 * How far ahead of a check's clock a silence's `created_at` may be (clock skew between an operator's
 * laptop and the Lambda). Beyond it the file cannot have been written by the silence command.
 */
export const CREATED_SKEW_MS = 5 * 60_000;

/**
 * The longest identity STS GetCallerIdentity names (`created_by`, `expired_by`): an assumed role's ARN in
 * the longest partition, counted with a role path (IAM: 1-512 characters, slashes included) although STS
 * leaves the path out today, a role name and a session name of 64 each.
 */
export const IDENTITY_MAX_CHARS = 'arn:aws-us-gov:sts::123456789012:assumed-role'.length + 512 + 64 + 1 + 64;

/** Bounds of the silences document: the Lambda reads it on every check, the CLI writes it. */
export const SILENCE_LIMITS = {
  /** The whole file: larger is not read at all (the Lambda checks before it downloads or parses). */
  fileBytes: 256 * 1024,
  /** Entries (the silence command keeps ended ones a week): more and none applies. */
  entries: 100,
  reasonChars: 500,
  byChars: IDENTITY_MAX_CHARS,
  idChars: 64,
  /** A silence names a signature the detector made: the detector's bound. */
  signatureChars: SIGNATURE_MAX,
  /**
   * Nesting: a silence is two levels deep (the entry, its codes). Deeper is not one, and past the stack
   * it cannot be encoded again (the run record's digest of it, the command's write-back).
   */
  depth: 8,
} as const;

const timestamp = z.string().check(z.maxLength(40));

/** Parsing is bounded too: no array longer than the catalog twice, no string longer than a limit. */
export const silenceEntrySchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(1000)),
  codes: z.array(z.string().check(z.maxLength(100))).check(z.minLength(1), z.maxLength(64)),
  signature: z.optional(z.string().check(z.maxLength(10_000))),
  starts_at: timestamp,
  ends_at: timestamp,
  created_at: timestamp,
  include_escalations: z.boolean(),
  kind: z.optional(z.enum(['manual', 'deploy-window'])),
  reason: z.optional(z.string().check(z.maxLength(100_000))),
  created_by: z.optional(z.string().check(z.maxLength(100_000))),
  expired_at: z.optional(timestamp),
  expired_by: z.optional(z.string().check(z.maxLength(100_000))),
  /** Set by the post gate on the deploy window it closed. */
  post_gate_at: z.optional(timestamp),
  /** Set on a reference kept in a run record instead of the entry (silenceReferences). */
  digest: z.optional(z.string().check(z.maxLength(64))),
});

/**
 * An entry the file holds ambiguously (a duplicate key inside it): no one reading of it is the stored
 * one, so it is malformed, and never written back in place of the text it stands for.
 */
export class AmbiguousEntry {
  constructor(readonly why: string) {}
}

/** An entry as read: a silence the command wrote, or a run record's reference to one. */
export type SilenceEntry = z.infer<typeof silenceEntrySchema>;

/** A silence as the silence command writes it. */
export type Silence = SilenceEntry & { readonly reason: string; readonly created_by: string };

/**
 * What a run record keeps of an entry: its known fields only (each bounded by the rules, so a reference
 * is too) and a digest of the entry exactly as stored.
 */
export type SilenceReference = SilenceEntry & { readonly digest: string };

/** The instant a silence stops: its end, or when it was expired by hand, whichever is first. */
export function silenceEndMs(s: Pick<SilenceEntry, 'ends_at' | 'expired_at'>): number {
  const end = parseTimestamp(s.ends_at) ?? -Infinity;
  const expired = s.expired_at === undefined ? Infinity : (parseTimestamp(s.expired_at) ?? -Infinity);
  return Math.min(end, expired);
}

export function isActive(
  s: Pick<SilenceEntry, 'starts_at' | 'ends_at' | 'expired_at'>,
  nowMs: number,
): boolean {
  const start = parseTimestamp(s.starts_at);
  return start !== undefined && start <= nowMs && nowMs < silenceEndMs(s);
}

/** When a silence could first hold anything: its start, or its creation when it was back-dated. */
export function quietFromMs(s: SilenceEntry): number {
  return Math.max(parseTimestamp(s.starts_at) ?? Infinity, parseTimestamp(s.created_at) ?? -Infinity);
}

/** A span as operators read it: `24 h`, `30 min`, `2 h 30 min`, `24 h 0 min 1 s`. */
export function spanText(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h} h` : '', m || (h && s) ? `${m} min` : '', s ? `${s} s` : ''];
  return parts.filter((p) => p !== '').join(' ') || '0 s';
}
