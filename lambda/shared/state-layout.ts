// The layout and encoding shared by every StateStore (S3 bucket, local directory): one definition.
import { isDetectorOutput } from '../detector/previous';
import type { RunRecord } from '../detector/types';
import type { LatestRead, StoredSnapshot } from '../ports';
import { AmbiguousEntry } from '../detector/silence-schema';
import { DuplicateKeyError, findDuplicateKeys, parseJsonInput } from './json-input';
import { stripBom } from './json-text';
import { parseStoredSnapshot } from './snapshot-schema';

export const LATEST_KEY = 'state/latest.json';
export const RUNS_PREFIX = 'runs/';
/** How long the state bucket keeps run records (its lifecycle rule); older ranges hold none. */
export const RUN_RECORD_RETENTION_DAYS = 400;
/** The operators' silences: written by the CLI with the operator's credentials, only read by the Lambda. */
export const SILENCES_KEY = 'state/silences.json';
export const SILENCES_SCHEMA = 'aegis-pt-health/silences/v1';

export function encodeSilences(silences: readonly unknown[]): string {
  return JSON.stringify({ schema: SILENCES_SCHEMA, silences }, null, 1);
}

/** Why a silences file of `bytes` is not read at all, or undefined when it is within `maxBytes`. */
export function silencesTooLarge(bytes: number, maxBytes: number | undefined): string | undefined {
  return maxBytes !== undefined && bytes > maxBytes
    ? `${SILENCES_KEY} is ${bytes} bytes, over the limit of ${maxBytes}: not read`
    : undefined;
}

/** The stored list (entries unvalidated: the rules refuse malformed ones), or why it is unusable. */
export function decodeSilences(
  text: string,
  maxBytes?: number,
): { silences: unknown[] } | { problem: string } {
  // The length in UTF-16 units bounds the UTF-8 size from below: a quick check before the exact one.
  const tooLarge =
    maxBytes !== undefined && text.length > maxBytes
      ? silencesTooLarge(text.length, maxBytes)
      : silencesTooLarge(maxBytes === undefined ? 0 : Buffer.byteLength(text, 'utf8'), maxBytes);
  if (tooLarge) return { problem: tooLarge };
  let parsed: unknown;
  let ambiguous = new Map<number, string>();
  try {
    parsed = parseJsonInput(text);
  } catch (err) {
    if (!(err instanceof DuplicateKeyError))
      return { problem: `${SILENCES_KEY} is not JSON (${text.length} bytes)` };
    // A duplicate inside one entry makes that entry malformed, not the file: the rest still applies,
    // and the operator can still list and remove it. Anywhere else, the file as a whole is ambiguous.
    const inEntries = ambiguousEntries(text);
    if (!inEntries) return { problem: `${SILENCES_KEY}: ${err.message}` };
    ambiguous = inEntries;
    parsed = JSON.parse(stripBom(text));
  }
  const doc = parsed as { schema?: unknown; silences?: unknown };
  if (doc?.schema !== SILENCES_SCHEMA || !Array.isArray(doc.silences))
    return { problem: `${SILENCES_KEY} is not a silences file (schema ${SILENCES_SCHEMA})` };
  const list = doc.silences;
  return {
    silences:
      ambiguous.size === 0
        ? list
        : list.map((e, i) => (ambiguous.has(i) ? new AmbiguousEntry(ambiguous.get(i)!) : e)),
  };
}

/** The entries holding a duplicate key, each with the first; undefined when one lies outside the entries. */
function ambiguousEntries(text: string): Map<number, string> | undefined {
  const out = new Map<number, string>();
  for (const dup of findDuplicateKeys(stripBom(text))) {
    const at = /^silences\[(\d+)\]/.exec(dup.path);
    if (!at) return undefined;
    const index = Number(at[1]);
    if (!out.has(index))
      out.set(index, `duplicate key ${JSON.stringify(dup.key)} in ${dup.path}: the entry is ambiguous`);
  }
  return out;
}

/** What a run that could not store its snapshot saw: state/handoff/<observed_at>-<run id>.json. */
export const HANDOFF_PREFIX = 'state/handoff/';

export function handoffKey(observedAt: string, runId: string): string {
  return `${HANDOFF_PREFIX}${observedAt}-${runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}.json`;
}

/** One marker per trading day once its digest went out: digests/YYYY-MM-DD.json. */
export const DIGESTS_PREFIX = 'digests/';

export function digestKey(sessionDate: string): string {
  return `${DIGESTS_PREFIX}${sessionDate}.json`;
}

/**
 * runs/YYYY/MM/DD/<checked_at>-<trigger>[-<run id>].json: the run id keeps two runs of one trigger
 * in the same second apart (both are kept, neither overwrites the other).
 */
export function runKey(record: RunRecord): string {
  const day = record.checked_at.slice(0, 10).replace(/-/g, '/');
  const id = record.run_id ? `-${record.run_id.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}` : '';
  return `${RUNS_PREFIX}${day}/${record.checked_at}-${record.trigger.trigger}${id}.json`;
}

// runKey's file name starts with checked_at (second precision, or finer).
const KEY_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)-/;

/** The time (ms) a run key's name holds (its checked_at), or null for any other name. */
export function runKeyTime(key: string): number | null {
  const at = KEY_TIME.exec(key.slice(key.lastIndexOf('/') + 1));
  return at ? Date.parse(at[1]) : null;
}

const HOUR_MS = 3_600_000;

/**
 * An hour's run records in one object, once the hour is over (lambda/records/seal.ts):
 * runs/YYYY/MM/DD/packs/YYYY-MM-DDTHH.jsonl. Beside the records, so it expires with them.
 */
export const HOUR_PACK_SCHEMA = 'aegis-pt-health/hour-pack/v1';

export function hourPackKey(hourMs: number): string {
  const iso = new Date(hourMs - (hourMs % HOUR_MS)).toISOString();
  return `${RUNS_PREFIX}${iso.slice(0, 10).replace(/-/g, '/')}/packs/${iso.slice(0, 13)}.jsonl`;
}

/**
 * An hour that is over and held no record: an empty marker beside the packs
 * (runs/YYYY/MM/DD/packs/YYYY-MM-DDTHH.empty), so a reader knows the hour without listing it.
 */
export function emptyHourKey(hourMs: number): string {
  return hourPackKey(hourMs).replace(/\.jsonl$/, '.empty');
}

/** The prefix of the record keys of one UTC hour (runs/YYYY/MM/DD/YYYY-MM-DDTHH). */
export function hourRunsPrefix(hourMs: number): string {
  const iso = new Date(hourMs - (hourMs % HOUR_MS)).toISOString();
  return `${RUNS_PREFIX}${iso.slice(0, 10).replace(/-/g, '/')}/${iso.slice(0, 13)}`;
}

const PACK_NAME = /(?:^|\/)packs\/(\d{4}-\d{2}-\d{2}T\d{2})\.(?:jsonl|empty)$/;

/**
 * The hour (ms) a pack's or an empty hour's key names, or null when the key is neither (anywhere below
 * a root).
 */
export function hourOfPack(key: string): number | null {
  const m = PACK_NAME.exec(key);
  return m ? Date.parse(`${m[1]}:00:00Z`) : null;
}

/** Whether a key found by hourOfPack marks an hour without records. */
export const isEmptyHour = (key: string): boolean => key.endsWith('.empty');

/**
 * One ET day's summary once the day is over (lambda/records/seal.ts): where its records are (packs and
 * the keys beside them) and what each record gives the KPIs and the schedule coverage. runs/days/DATE.json.
 */
export const DAY_SUMMARY_SCHEMA = 'aegis-pt-health/day-summary/v1';
export const DAY_SUMMARIES_PREFIX = `${RUNS_PREFIX}days/`;

export function daySummaryKey(date: string): string {
  return `${DAY_SUMMARIES_PREFIX}${date}.json`;
}

const SUMMARY_NAME = /(?:^|\/)days\/(\d{4}-\d{2}-\d{2})\.json$/;

/** The ET date a summary's key names, or null when the key is not a day summary. */
export function dateOfSummary(key: string): string | null {
  return SUMMARY_NAME.exec(key)?.[1] ?? null;
}

/**
 * Whether a key can hold a run record checked within the range, from its name alone, so nothing else
 * is read: a *.json that is not the snapshot, the silences, a digest marker or a day summary, whose name's time (when
 * it has one: any other name is read and judged by its content) is in the range.
 */
export function mayHoldRun(key: string, range: { readonly from: string; readonly to: string }): boolean {
  if (
    !key.endsWith('.json') ||
    key === LATEST_KEY ||
    key === SILENCES_KEY ||
    key.startsWith(DIGESTS_PREFIX) ||
    key.startsWith(HANDOFF_PREFIX)
  )
    return false;
  if (dateOfSummary(key) !== null) return false;
  const t = runKeyTime(key);
  if (t === null) return true;
  return t >= Date.parse(range.from) && t <= Date.parse(range.to);
}

/** The day prefixes (runs/YYYY/MM/DD/) that can hold records checked between two instants. */
export function dayPrefixes(fromIso: string, toIso: string): string[] {
  const out: string[] = [];
  const end = Date.parse(toIso.slice(0, 10));
  for (let t = Date.parse(fromIso.slice(0, 10)); t <= end; t += 86_400_000) {
    out.push(`${RUNS_PREFIX}${new Date(t).toISOString().slice(0, 10).replace(/-/g, '/')}/`);
  }
  return out;
}

export function encodeSnapshot(snapshot: StoredSnapshot): string {
  const { output, observed_at, nflog, claim, announced, delivery, handoff } = snapshot;
  return JSON.stringify({ ...output, observed_at, nflog, claim, announced, delivery, handoff });
}

export type SnapshotDecoding =
  { readonly snapshot: StoredSnapshot; readonly problem?: string } | { readonly problem: string };

export function decodeSnapshot(text: string): SnapshotDecoding {
  let parsed: unknown;
  try {
    parsed = parseJsonInput(text);
  } catch (err) {
    return {
      problem: `corrupt snapshot ${LATEST_KEY} (${err instanceof DuplicateKeyError ? err.message : 'not JSON'}, ${text.length} bytes): starting without a previous output`,
    };
  }
  const read = parseStoredSnapshot(parsed);
  if (!('snapshot' in read)) {
    return {
      problem: `corrupt snapshot ${LATEST_KEY} (not a detector output: ${read.problem}): starting without a previous output`,
    };
  }
  if (read.problem === undefined) return { snapshot: read.snapshot };
  return {
    snapshot: read.snapshot,
    problem: `unusable snapshot ${LATEST_KEY} (${read.problem}): kept its ${read.snapshot.output.events.length} valid open event(s) and ${read.snapshot.output.resolved_events.length} resolved, dropped the rest`,
  };
}

/** What a store read back as the snapshot: usable, salvaged or replaced (on the same ETag), with a note why. */
export function latestFromText(text: string, etag: string | null): LatestRead {
  const decoded = decodeSnapshot(text);
  if (!('snapshot' in decoded)) return { snapshot: null, etag, problem: decoded.problem };
  return decoded.problem === undefined
    ? { snapshot: decoded.snapshot, etag }
    : { snapshot: decoded.snapshot, etag, problem: decoded.problem };
}

/**
 * The record as JSON. The observation keeps the payload as received, and JSON.stringify recurses: a
 * payload nested deeper than the stack (the detector judged it `dashboard_invalid`) is stored as a
 * marker instead, so the record is still written and the run does not fail after it told the alert.
 */
export function encodeRun(record: RunRecord): string {
  try {
    return JSON.stringify(record);
  } catch (err) {
    if (!(err instanceof RangeError) || !record.observation) throw err;
    const marker = `[not stored: ${err.message}]`;
    const observation = { ...record.observation };
    for (const key of ['status_v3', 'ecs', 'silences'] as const) {
      if (key in observation && !serialisable(observation[key])) observation[key] = marker as never;
    }
    return JSON.stringify({ ...record, observation });
  }
}

function serialisable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

export type RunDecoding = { readonly record: RunRecord } | { readonly problem: string };

export function decodeRun(text: string): RunDecoding {
  let parsed: unknown;
  try {
    parsed = parseJsonInput(text);
  } catch (err) {
    return { problem: err instanceof DuplicateKeyError ? err.message : 'not JSON' };
  }
  if (!isDetectorOutput(parsed)) return { problem: 'not a detector output' };
  const trigger = (parsed as { trigger?: { trigger?: unknown } }).trigger;
  if (typeof trigger?.trigger !== 'string') return { problem: 'no trigger' };
  return { record: parsed as RunRecord };
}

export function inRange(record: RunRecord, fromIso: string, toIso: string): boolean {
  const t = Date.parse(record.checked_at);
  return t >= Date.parse(fromIso) && t <= Date.parse(toIso);
}
