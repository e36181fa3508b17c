// The rules every silence must keep to apply, for the Lambda (on every check) and the CLI (before it
// writes) alike. Pure. An entry that breaks one does not apply, and its verdict says why.
import { cut, deeperThan, safeJson } from './bounds';
import { chainRefusals } from './silence-chains';
import {
  AmbiguousEntry,
  CREATED_SKEW_MS,
  isActive,
  MAX_SILENCE_MS,
  SILENCE_LIMITS,
  silenceEndMs,
  silenceEntrySchema,
  spanText,
  type SilenceEntry,
} from './silence-schema';
import { windowProblems } from './silence-windows';
import { EVENT_ESCALATION, isEventCode } from './event-codes';
import { formatUtc, parseTimestamp } from './time';

export interface JudgeContext {
  readonly nowMs: number;
  readonly marketClosures: readonly string[];
  /** The Lambda reads at most SILENCE_LIMITS.entries; the CLI reads them all to list and repair them. */
  readonly maxEntries?: number;
}

export type SilenceState = 'applies' | 'pending' | 'ended' | 'refused';

export interface SilenceVerdict {
  /** Position in the file. */
  readonly index: number;
  /** The entry's id when it has a string one (cut), else undefined. */
  readonly id?: string;
  readonly state: SilenceState;
  /** Why it does not apply (state `refused`). */
  readonly why?: string;
  /** The entry as parsed, when it has the shape of one. */
  readonly silence?: SilenceEntry;
  /** The entry exactly as stored (to digest and to write back unchanged). */
  readonly raw: unknown;
}

export interface SilenceJudgement {
  readonly verdicts: readonly SilenceVerdict[];
  /** Set when the document as a whole cannot be trusted: no silence in it applies. */
  readonly ignored?: string;
}

const ID_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,${SILENCE_LIMITS.idChars - 1}}$`);

function textProblem(name: string, value: string | undefined, max: number, required: boolean): string[] {
  if (value === undefined || value.trim() === '') return required ? [`${name} is empty`] : [];
  return value.length > max ? [`${name} is ${value.length} characters: at most ${max}`] : [];
}

/** The rules one entry keeps or breaks on its own. */
export function entryProblems(s: SilenceEntry, ctx: JudgeContext): string[] {
  const problems: string[] = [];
  if (!ID_PATTERN.test(s.id))
    problems.push(
      `id ${safeJson(cut(s.id, 40))} is not a silence id (letters, digits, . _ : -; at most ${SILENCE_LIMITS.idChars})`,
    );
  const unknown = [...new Set(s.codes.filter((c) => !isEventCode(c)))];
  if (unknown.length > 0) problems.push(`unknown event code(s) ${cut(unknown.join(', '), 200)}`);
  if (
    s.signature !== undefined &&
    (s.signature.length > SILENCE_LIMITS.signatureChars ||
      !s.codes.some((c) => s.signature === c || s.signature?.startsWith(`${c}:`)))
  )
    problems.push(`signature ${safeJson(cut(s.signature, 60))} does not belong to its codes`);
  const times = { starts_at: s.starts_at, ends_at: s.ends_at, created_at: s.created_at };
  const optional = { expired_at: s.expired_at, post_gate_at: s.post_gate_at };
  for (const [name, value] of Object.entries({ ...times, ...optional })) {
    if (value !== undefined && parseTimestamp(value) === undefined)
      problems.push(`${name} ${safeJson(cut(value, 40))} is not a timestamp with an offset`);
  }
  const start = parseTimestamp(s.starts_at);
  const end = parseTimestamp(s.ends_at);
  const created = parseTimestamp(s.created_at);
  if (start !== undefined && end !== undefined) {
    if (end <= start) problems.push('it ends before it starts');
    else if (end - start > MAX_SILENCE_MS)
      problems.push(`it lasts ${spanText(end - start)}: a silence lasts at most ${spanText(MAX_SILENCE_MS)}`);
  }
  if (created !== undefined && end !== undefined && end <= created)
    problems.push('it ended before it was created');
  problems.push(...textProblem('reason', s.reason, SILENCE_LIMITS.reasonChars, true));
  problems.push(...textProblem('created_by', s.created_by, SILENCE_LIMITS.byChars, true));
  problems.push(...textProblem('expired_by', s.expired_by, SILENCE_LIMITS.byChars, false));
  const known = s.codes.filter(isEventCode);
  if (!s.include_escalations && known.length > 0 && known.every((c) => EVENT_ESCALATION[c] === 'always'))
    problems.push(
      `it holds nothing back: ${[...new Set(known)].join(', ')} always escalate(s) and include_escalations is false`,
    );
  if (s.kind === 'deploy-window') problems.push(...windowProblems(s, ctx.marketClosures));
  return problems;
}

interface Parsed {
  readonly index: number;
  readonly id?: string;
  readonly raw: unknown;
  readonly silence?: SilenceEntry;
  readonly problems: string[];
}

function parse(raw: unknown, index: number, ctx: JudgeContext): Parsed {
  const rawId = (raw as { id?: unknown } | null)?.id;
  const id = typeof rawId === 'string' ? cut(rawId, SILENCE_LIMITS.idChars + 3) : undefined;
  if (raw instanceof AmbiguousEntry) return { index, raw, problems: [`not a silence (${raw.why})`] };
  // Before the schema: what it strips unread (an unknown field) is still in the raw entry others encode.
  if (deeperThan(raw, SILENCE_LIMITS.depth))
    return {
      index,
      id,
      raw,
      problems: [`not a silence (nested deeper than ${SILENCE_LIMITS.depth} levels)`],
    };
  const read = silenceEntrySchema.safeParse(raw);
  if (!read.success) {
    const issue = read.error.issues[0];
    const where = issue.path.join('.') || (raw === null ? 'null' : typeof raw);
    return { index, id, raw, problems: [`not a silence (${cut(where, 40)}: ${cut(issue.message, 120)})`] };
  }
  return { index, id, raw, silence: read.data, problems: entryProblems(read.data, ctx) };
}

/**
 * A file holding a silence created after this check cannot have been written by the silence command
 * (it stamps AWS's time, bin/commands/operator-identity.ts). The whole file is void, not that entry:
 * entries dated ahead would each pass the rules as their dates go by, a chain of days arranged in
 * advance that never links (silence-chains.ts), which no one looked at again.
 */
function createdInTheFuture(parsed: readonly Parsed[], nowMs: number): string | undefined {
  const late = parsed.find(
    (p) => (parseTimestamp(p.silence?.created_at) ?? -Infinity) > nowMs + CREATED_SKEW_MS,
  );
  if (!late?.silence) return undefined;
  return `silence ${late.id ?? `#${late.index}`} says it was created at ${late.silence.created_at}, after this check (${formatUtc(nowMs)}): the file was not written by the silence command, so no silence in it applies`;
}

export function judgeSilences(value: unknown, ctx: JudgeContext): SilenceJudgement {
  if (value === undefined || value === null) return { verdicts: [] };
  if (!Array.isArray(value)) return { verdicts: [], ignored: 'the silences are not a list: none applies' };
  const max = ctx.maxEntries ?? SILENCE_LIMITS.entries;
  if (value.length > max)
    return {
      verdicts: [],
      ignored: `the file holds ${value.length} silences, more than the ${max} the silence command keeps: none applies`,
    };
  const parsed = value.map((raw, index) => parse(raw, index, ctx));
  const ids = new Map<string, number>();
  for (const p of parsed) if (p.silence) ids.set(p.silence.id, (ids.get(p.silence.id) ?? 0) + 1);
  for (const p of parsed)
    if (p.silence && (ids.get(p.silence.id) ?? 0) > 1)
      p.problems.push(`its id is used by ${ids.get(p.silence.id)} entries`);
  const chained = chainRefusals(
    parsed
      .filter((p) => p.silence && p.problems.length === 0)
      .map((p) => ({ key: p.index, silence: p.silence! })),
  );
  const verdicts = parsed.map((p): SilenceVerdict => {
    const why = [...p.problems, ...(chained.has(p.index) ? [chained.get(p.index)!] : [])];
    const base = {
      index: p.index,
      raw: p.raw,
      ...(p.id !== undefined ? { id: p.id } : {}),
      ...(p.silence ? { silence: p.silence } : {}),
    };
    if (why.length > 0 || !p.silence) return { ...base, state: 'refused', why: why.join('; ') };
    const state = isActive(p.silence, ctx.nowMs)
      ? 'applies'
      : (parseTimestamp(p.silence.starts_at) ?? 0) > ctx.nowMs
        ? 'pending'
        : 'ended';
    return { ...base, state };
  });
  const ignored = createdInTheFuture(parsed, ctx.nowMs);
  return ignored === undefined ? { verdicts } : { verdicts, ignored };
}

/** A refusal worth telling: the entry could still hold something now or later (or its times are unreadable). */
export function refusalMatters(v: SilenceVerdict, nowMs: number): boolean {
  if (v.state !== 'refused') return false;
  if (!v.silence || parseTimestamp(v.silence.ends_at) === undefined) return true;
  return silenceEndMs(v.silence) > nowMs;
}
