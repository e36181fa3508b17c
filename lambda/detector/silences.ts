// Silences: operator-made matchers that hold back notifications for a while, under rules the Lambda
// enforces on every check and the CLI applies before it writes (silence-rules.ts). Pure: the silences
// come in with the bundle (like `previous`); a silenced event is still evaluated, stored and counted.
// This is the module the detector, the Lambda and the CLI import; the parts live beside it.
import { createHash } from 'node:crypto';
import { cut, SUMMARY_MAX } from './bounds';
import { judgeSilences, refusalMatters, type SilenceJudgement, type SilenceVerdict } from './silence-rules';
import { silenceEndMs, type SilenceEntry, type SilenceReference } from './silence-schema';
import { carriedSilences } from './silence-carry';
import { unclosedWindows } from './silence-windows';
import type { DetectorEvent, DetectorOutput, InfoItem } from './types';

export {
  AmbiguousEntry,
  CREATED_SKEW_MS,
  DEFAULT_DEPLOY_WINDOW_MS,
  DEPLOY_WINDOW_CODES,
  isActive,
  MAX_DEPLOY_WINDOW_MS,
  MAX_SILENCE_MS,
  SILENCE_LIMITS,
  silenceEndMs,
  spanText,
  type Silence,
  type SilenceEntry,
  type SilenceReference,
} from './silence-schema';
export {
  entryProblems,
  judgeSilences,
  type JudgeContext,
  type SilenceJudgement,
  type SilenceState,
  type SilenceVerdict,
} from './silence-rules';
export { closeWithin, deployWindowEnd, UNCLOSED_WINDOW_NOTICE_MS } from './silence-windows';
export { ALWAYS_ESCALATING_CODES, ESCALATING_CODES, EVENT_CODES, EVENT_ESCALATION } from './event-codes';

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

export interface SilenceOptions {
  readonly marketClosures: readonly string[];
  /** The output this run de-duplicates against: what a deploy window that just ended held back. */
  readonly previous?: DetectorOutput;
  /** Why the silences file could not be read: the previous check's silences hold (silence-carry.ts). */
  readonly unreadable?: string;
}

export interface SilenceReading {
  /** The silences that apply at this check. */
  readonly active: SilenceEntry[];
  /** silence_refused, silences_ignored, deploy_window_unclosed. */
  readonly info: InfoItem[];
  /** The silences file was unreadable: the previous check's notes, which `active` carries. */
  readonly carried?: readonly SilenceNote[];
}

/** Refusals told one by one; more are summed up in one item (the snapshot stays bounded). */
const REFUSALS_TOLD = 10;

function refusalInfo(refused: readonly SilenceVerdict[]): InfoItem[] {
  const name = (v: SilenceVerdict) => v.id ?? `#${v.index}`;
  const told = refused.slice(0, REFUSALS_TOLD).map((v) => ({
    code: 'silence_refused',
    summary: cut(`silence ${name(v)} does not apply: ${v.why ?? ''}`, SUMMARY_MAX),
    details: { id: v.id ?? null, index: v.index, why: cut(v.why ?? '', SUMMARY_MAX) },
  }));
  const rest = refused.slice(REFUSALS_TOLD);
  if (rest.length === 0) return told;
  const ids = rest.slice(0, 20).map(name);
  return [
    ...told,
    {
      code: 'silence_refused',
      summary: cut(
        `${rest.length} more silences do not apply: ${ids.join(', ')}${rest.length > ids.length ? ', ...' : ''}`,
        SUMMARY_MAX,
      ),
      details: { more: rest.length, ids },
    },
  ];
}

/**
 * The check judges one list twice (detect, then the run record's references): the second time is
 * answered from the first. Keyed on the list itself, so a list never changed after judging (the check
 * reads it once) costs one judgement; invisible otherwise (a judgement is a pure function of its input).
 */
const judged = new WeakMap<object, { key: string; judgement: SilenceJudgement }>();

function judgeOnce(value: unknown, nowMs: number, marketClosures: readonly string[]): SilenceJudgement {
  const key = `${nowMs}|${marketClosures.join(',')}|${Array.isArray(value) ? value.length : -1}`;
  if (typeof value !== 'object' || value === null) return judgeSilences(value, { nowMs, marketClosures });
  const hit = judged.get(value);
  if (hit?.key === key) return hit.judgement;
  const judgement = judgeSilences(value, { nowMs, marketClosures });
  judged.set(value, { key, judgement });
  return judgement;
}

/**
 * Reads the bundle's `silences` (a list, or absent) under the rules: what applies now, and an info item
 * for every entry that does not and could still matter, so operators hear why it holds nothing.
 */
export function readSilences(value: unknown, nowMs: number, options: SilenceOptions): SilenceReading {
  if (options.unreadable !== undefined) {
    const carried = carriedSilences(options.previous, nowMs);
    return { active: carried.entries, info: [], carried: carried.notes };
  }
  const judgement = judgeOnce(value, nowMs, options.marketClosures);
  if (judgement.ignored !== undefined)
    return { active: [], info: [{ code: 'silences_ignored', summary: cut(judgement.ignored, SUMMARY_MAX) }] };
  const accepted = acceptedOf(judgement);
  return {
    active: judgement.verdicts.filter((v) => v.state === 'applies').map((v) => v.silence!),
    info: [
      ...refusalInfo(judgement.verdicts.filter((v) => refusalMatters(v, nowMs))),
      ...unclosedWindows(accepted, options.previous, nowMs),
    ],
  };
}

function acceptedOf(judgement: SilenceJudgement): SilenceEntry[] {
  if (judgement.ignored !== undefined) return [];
  return judgement.verdicts.filter((v) => v.state !== 'refused').map((v) => v.silence!);
}

/** A digest of an entry exactly as stored: ties a reference to the file version that held it. */
export function silenceDigest(raw: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(raw) ?? 'null')
    .digest('hex')
    .slice(0, 16);
}

/**
 * What a run record keeps of the silences instead of the file: a reference to every entry that passed
 * the rules (its known fields, each bounded by them: never an oversized entry nor the file), so a replay
 * holds back and says what the run did; the digest names the exact entry among the bucket's versions.
 */
export function silenceReferences(
  value: unknown,
  nowMs: number,
  options: SilenceOptions,
): SilenceReference[] {
  const judgement = judgeOnce(value, nowMs, options.marketClosures);
  if (judgement.ignored !== undefined) return [];
  return judgement.verdicts
    .filter((v) => v.state !== 'refused')
    .map((v) => ({ ...v.silence!, digest: v.silence!.digest ?? silenceDigest(v.raw) }));
}

/**
 * A deploy window silences `dual_primary` only for a heartbeat that still names the replaced task (one
 * ECS lists for this service, no longer RUNNING): a Synology container, a non-Fargate platform, a
 * heartbeat naming any other task (another cluster's runtime) or a second runtime outside the service
 * still pages.
 */
function onlyReplacedTask(event: DetectorEvent): boolean {
  const d = event.details as Record<string, unknown>;
  const synology = d.synology_ibkr_containers_running;
  const platform = d.runtime_platform;
  return (
    (synology === null || synology === undefined || synology === 0) &&
    (platform === null || platform === undefined || platform === 'aws-fargate') &&
    d.runtime_task_replaced === true &&
    /^heartbeat task \S+ is not a RUNNING task of the service$/.test(event.summary)
  );
}

/** The first active silence that covers this event, or undefined. */
export function silenceFor(event: DetectorEvent, active: readonly SilenceEntry[]): SilenceEntry | undefined {
  return active.find((s) => {
    if (!s.codes.includes(event.code)) return false;
    if (s.signature !== undefined && s.signature !== event.signature) return false;
    // The runbook's "stop and escalate" is not held back by a silence that did not say so.
    if (event.escalate && !s.include_escalations) return false;
    if (s.kind === 'deploy-window' && event.code === 'dual_primary' && !onlyReplacedTask(event)) return false;
    return true;
  });
}

export function silenceNotes(
  active: readonly SilenceEntry[],
  events: readonly DetectorEvent[],
  carried?: readonly SilenceNote[],
): SilenceNote[] {
  if (carried)
    return carried.map((n) => ({ ...n, events: events.filter((e) => e.silenced_by === n.id).length }));
  return active.map((s) => ({
    id: s.id,
    kind: s.kind ?? 'manual',
    codes: [...new Set(s.codes)],
    until: new Date(silenceEndMs(s)).toISOString().replace('.000Z', 'Z'),
    by: s.created_by ?? '(not recorded)',
    reason: s.reason ?? '(not recorded)',
    events: events.filter((e) => e.silenced_by === s.id).length,
  }));
}
