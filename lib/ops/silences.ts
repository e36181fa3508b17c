// The operators' silences: add and expire, on the silences file of the state bucket (or a local
// directory) with conditional writes, so two operators never overwrite each other. Every silence is
// judged by the rules the Lambda enforces (lambda/detector/silences.ts) before it is written: the
// command refuses what the Lambda would refuse. Malformed entries never lock the operator out.
import { randomBytes } from 'node:crypto';
import {
  ALWAYS_ESCALATING_CODES,
  AmbiguousEntry,
  entryProblems,
  ESCALATING_CODES,
  EVENT_CODES,
  judgeSilences,
  MAX_SILENCE_MS,
  SILENCE_LIMITS,
  silenceEndMs,
  type Silence,
} from '../../lambda/detector/silences';
import { deeperThan } from '../../lambda/detector/bounds';
import { formatUtc } from '../../lambda/detector/time';
import { WriteConflictError, type SilenceStore } from '../../lambda/ports';
import { encodeSilences } from '../../lambda/shared/state-layout';
import { makeRoom, ROOM_HELP } from './silence-room';
import { AegisError } from '../../lambda/shared/errors';

export { ESCALATING_CODES, EVENT_CODES, MAX_SILENCE_MS };

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

/** A new silence, refused with the rules' own words when it breaks one (unknown code, over 24 h...). */
export function buildSilence(
  input: NewSilence,
  nowMs: number,
  marketClosures: readonly string[] = [],
): Silence {
  const codes = [...new Set(input.codes.map((c) => c.trim()).filter((c) => c !== ''))];
  if (codes.length === 0) throw new SilenceError('--code needs at least one event code');
  const unknown = codes.filter((c) => !EVENT_CODES.includes(c));
  if (unknown.length > 0)
    throw new SilenceError(
      `unknown event code(s) ${unknown.join(', ')} (the catalog: ${EVENT_CODES.join(', ')})`,
    );
  if (!input.reason.trim())
    throw new SilenceError('--reason is required: say why, for whoever reads the alerts');
  if (input.endsMs <= nowMs)
    throw new SilenceError(`the silence would end in the past (${formatUtc(input.endsMs)})`);
  const id = `${input.kind === 'deploy-window' ? 'w' : 's'}-${formatUtc(nowMs).replace(/[-:]/g, '').slice(0, 13)}-${randomBytes(2).toString('hex')}`;
  const silence: Silence = {
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
  const problems = entryProblems(silence, { nowMs, marketClosures });
  if (problems.length > 0) throw new SilenceError(`not added: ${problems.join('; ')}`);
  return silence;
}

/**
 * What the silence will still tell, said plainly: codes that always escalate are never held back without
 * include_escalations (a silence of only those is refused: it would hold nothing back), and codes that
 * escalate sometimes are told once they do.
 */
export function stillTold(s: Silence): string[] {
  if (s.include_escalations) {
    const escalating = s.codes.filter((c) => ESCALATING_CODES.includes(c));
    return escalating.length
      ? [
          `--include-escalations: ${escalating.join(', ')} will not be told even when the runbook says stop and escalate, until ${s.ends_at}`,
        ]
      : [];
  }
  const always = s.codes.filter((c) => ALWAYS_ESCALATING_CODES.includes(c));
  const sometimes = s.codes.filter((c) => ESCALATING_CODES.includes(c) && !always.includes(c));
  return [
    ...(always.length
      ? [
          `${always.join(', ')} always escalate(s): this silence holds none of them back (--include-escalations would)`,
        ]
      : []),
    ...(sometimes.length
      ? [
          `${sometimes.join(', ')}: told anyway once the runbook says stop and escalate (--include-escalations would hold that back too)`,
        ]
      : []),
  ];
}

/** The file's raw entries with those ended over a week ago dropped; the rest kept exactly as stored. */
function kept(raw: readonly unknown[], nowMs: number): unknown[] {
  const judged = judgeSilences(raw, { nowMs, marketClosures: [], maxEntries: Infinity });
  return raw.filter((_, i) => {
    const s = judged.verdicts[i]?.silence;
    return !s || nowMs - silenceEndMs(s) < KEEP_ENDED_MS;
  });
}

/**
 * A store call the caller's identity may not make (no silence permission, no use of the bucket's key):
 * a usage error saying what is missing, never an internal error.
 */
export async function allowed<T>(what: 'read' | 'write', call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (e?.name !== 'AccessDenied' && e?.name !== 'Forbidden' && e?.$metadata?.httpStatusCode !== 403)
      throw err;
    const action = what === 'read' ? 's3:GetObject' : 's3:GetObject and s3:PutObject';
    throw new SilenceError(
      `not allowed to ${what} the silences file (${e.name ?? 'HTTP 403'}: ${e.message ?? ''}): the silence command needs ${action} on state/silences.json and the use of the bucket's key`,
    );
  }
}

function unwritable(raw: unknown): string | undefined {
  if (raw instanceof AmbiguousEntry) return 'has a duplicate key';
  if (deeperThan(raw, SILENCE_LIMITS.depth)) return `is nested deeper than ${SILENCE_LIMITS.depth} levels`;
  return undefined;
}

/**
 * Read, change, write on the version read; re-read and retry when another operator wrote first. The
 * change sees the file as read (so '#N' is the entry `silence list` showed); what ended over a week ago
 * is dropped from what it returns.
 */
async function update(
  store: SilenceStore,
  change: (raw: unknown[]) => unknown[],
  nowMs: number,
  grows: boolean,
): Promise<unknown[]> {
  for (let attempt = 1; ; attempt++) {
    const read = await allowed('read', () => store.readSilences());
    // An unreadable file (not JSON, another schema) is not overwritten: someone must look at it first.
    if (read.problem) throw new SilenceError(`${read.problem}: fix or remove it before changing silences`);
    let next = kept(change(read.silences), nowMs);
    // An entry too deep to encode, or held ambiguously, is written back by no one: the operator
    // removes it by its '#N'.
    const stuck = read.silences.findIndex((r) => unwritable(r) !== undefined && next.includes(r));
    if (stuck >= 0)
      throw new SilenceError(
        `entry #${stuck} ${unwritable(read.silences[stuck])} and cannot be written back: remove it first (silence expire '#${stuck}')`,
      );
    if (grows) {
      const bytesOf = (list: readonly unknown[]) => Buffer.byteLength(encodeSilences(list), 'utf8');
      next = makeRoom(
        next,
        nowMs,
        (list) => list.length <= SILENCE_LIMITS.entries && bytesOf(list) <= SILENCE_LIMITS.fileBytes,
      );
      if (next.length > SILENCE_LIMITS.entries)
        throw new SilenceError(
          `the file would hold ${next.length} silences, over the limit of ${SILENCE_LIMITS.entries}: expire some first (${ROOM_HELP})`,
        );
      const bytes = bytesOf(next);
      if (bytes > SILENCE_LIMITS.fileBytes)
        throw new SilenceError(
          `the file would be ${bytes} bytes, over the limit of ${SILENCE_LIMITS.fileBytes}: expire some first (${ROOM_HELP})`,
        );
    }
    try {
      await allowed('write', () => store.writeSilences(next, read.etag));
      return next;
    } catch (err) {
      if (!(err instanceof WriteConflictError) || attempt >= ATTEMPTS) throw err;
    }
  }
}

/** Adds a silence the rules accept beside those in the file (a chain over 24 h is refused). */
export async function addSilence(
  store: SilenceStore,
  silence: Silence,
  nowMs: number,
  marketClosures: readonly string[] = [],
): Promise<Silence> {
  await update(
    store,
    (raw) => {
      // Judged beside what the file will hold: the entries ended over a week ago are not written back.
      const next = kept([...raw, silence], nowMs);
      const judged = judgeSilences(next, { nowMs, marketClosures, maxEntries: Infinity });
      const mine = judged.verdicts[next.length - 1];
      if (mine.state === 'refused') throw new SilenceError(`not added: ${mine.why}`);
      return next;
    },
    nowMs,
    true,
  );
  return silence;
}

/** The index an operator names a malformed entry by: `#3`. */
function indexOf(ref: string): number | undefined {
  const m = /^#(\d+)$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

export interface ExpireResult {
  /** The silence as it now stands; absent when a malformed entry was removed instead. */
  readonly silence?: Silence;
  readonly removed?: string;
}

/**
 * Expires a silence by id. A malformed entry (one the rules cannot read, named by its id or by `#N` as
 * `silence list` shows it) is removed instead: it never silenced anything.
 */
export async function expireSilence(
  store: SilenceStore,
  ref: string,
  by: string,
  nowMs: number,
  mark: Partial<Pick<Silence, 'post_gate_at'>> = {},
): Promise<ExpireResult> {
  let result: ExpireResult = {};
  await update(
    store,
    (raw) => {
      const judged = judgeSilences(raw, { nowMs, marketClosures: [], maxEntries: Infinity });
      const at = indexOf(ref);
      // By id, a silence first: a malformed entry sharing its id (a decoy) must not take the expiry.
      const byId = judged.verdicts.filter((v) => v.id === ref);
      const found =
        at !== undefined
          ? judged.verdicts.find((v) => v.index === at)
          : (byId.find((v) => v.silence) ?? byId[0]);
      if (!found) throw new SilenceError(`no silence ${ref} (see: silence list --all)`);
      if (!found.silence) {
        result = { removed: `removed malformed entry ${ref}: ${found.why ?? ''}` };
        return raw.filter((_, i) => i !== found.index);
      }
      const s = found.silence as Silence;
      const ended = silenceEndMs(s) <= nowMs;
      if (ended && mark.post_gate_at === undefined)
        throw new SilenceError(`silence ${ref} has already ended (${formatUtc(silenceEndMs(s))})`);
      const next: Silence = ended
        ? { ...s, ...mark }
        : { ...s, expired_at: formatUtc(nowMs), expired_by: by, ...mark };
      result = { silence: next };
      return raw.map((r, i) => (i === found.index ? { ...(r as object), ...next } : r));
    },
    nowMs,
    false,
  );
  return result;
}

// Control characters (C0, DEL, C1), line separators and bidirectional overrides.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the silences file as a terminal shows it: every control character written as `\uXXXX`, so no
 * entry can move the cursor, erase a line (its own, to hide an active silence) or reorder what follows.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function formatSilence(s: Silence, nowMs: number): string {
  const state =
    silenceEndMs(s) <= nowMs ? 'ENDED  ' : Date.parse(s.starts_at) > nowMs ? 'PENDING' : 'ACTIVE ';
  const until = s.expired_at ? `expired ${s.expired_at} by ${s.expired_by ?? '?'}` : `until ${s.ends_at}`;
  return printable(
    `${state} ${s.id}  ${s.codes.join(',')}${s.signature ? ` [${s.signature}]` : ''}${s.include_escalations ? ' +escalations' : ''}  from ${s.starts_at} ${until}  by ${s.created_by}: ${s.reason}`,
  );
}
