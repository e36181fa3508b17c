// The two documents the monitor derives from its run records once their time is over (keys and schema
// names in shared/state-layout.ts): an hour pack, the hour's records in one object, and a day summary,
// what each record of an ET day gives the KPIs and the schedule coverage plus where its records are.
// Both are caches of the records: a reader that cannot use one (another schema, a wrong hour, a count
// that does not add up) says so and reads the records themselves.
import * as z from 'zod/mini';
import { KPI_FACTS_VERSION, type KpiFacts } from '../digest/kpi';
import { parseTimestamp } from '../detector/time';
import type { RunStamp } from '../shared/gap';
import { parseJsonInput } from '../shared/json-input';
import { DAY_SUMMARY_SCHEMA, HOUR_PACK_SCHEMA, runKeyTime } from '../shared/state-layout';

const HOUR_MS = 3_600_000;

/** What one run record gives the readers that need no more than its time, trigger and KPI inputs. */
export interface RunFacts extends KpiFacts, RunStamp {}

export interface PackEntry {
  readonly key: string;
  /** The record's stored text, byte for byte. */
  readonly text: string;
}

export interface HourPack {
  readonly hour: number;
  readonly entries: readonly PackEntry[];
  /** Record keys of the hour left out of the pack (unreadable when it was made, or over its size bound). */
  readonly rest: readonly string[];
}

interface PackHeader {
  readonly schema: string;
  readonly hour: string;
  readonly records: number;
  readonly rest: readonly string[];
}

const hourText = (hourMs: number) => new Date(hourMs).toISOString().slice(0, 13);

/** One header line, then one line per record: its key, a tab, its text (JSON has no raw newline). */
export function encodePack(pack: HourPack): string {
  const header: PackHeader = {
    schema: HOUR_PACK_SCHEMA,
    hour: hourText(pack.hour),
    records: pack.entries.length,
    rest: pack.rest,
  };
  return [JSON.stringify(header), ...pack.entries.map((e) => `${e.key}\t${e.text}`)].join('\n');
}

/** The pack of that hour, or why it cannot be used. */
export function decodePack(text: string, hourMs: number): HourPack | { readonly problem: string } {
  const lines = text.split('\n');
  let header: PackHeader;
  try {
    header = JSON.parse(lines[0]) as PackHeader;
  } catch {
    return { problem: 'its header is not JSON' };
  }
  if (header?.schema !== HOUR_PACK_SCHEMA)
    return { problem: `not an hour pack (schema ${HOUR_PACK_SCHEMA})` };
  if (header.hour !== hourText(hourMs)) return { problem: `it is the pack of ${String(header.hour)}` };
  if (!Array.isArray(header.rest) || !header.rest.every((k) => typeof k === 'string'))
    return { problem: 'its list of records left out is malformed' };
  const entries: PackEntry[] = [];
  for (const line of lines.slice(1)) {
    const tab = line.indexOf('\t');
    const key = tab > 0 ? line.slice(0, tab) : '';
    const t = runKeyTime(key);
    if (t === null || t < hourMs || t >= hourMs + HOUR_MS)
      return { problem: `a line does not hold a record of the hour (${key.slice(0, 120) || 'no key'})` };
    entries.push({ key, text: line.slice(tab + 1) });
  }
  if (entries.length !== header.records)
    return { problem: `it holds ${entries.length} records, its header says ${String(header.records)}` };
  return { hour: hourMs, entries, rest: header.rest };
}

export interface DaySummary {
  readonly date: string;
  readonly from: string;
  readonly to: string;
  readonly written_at: string;
  /** The packs of the day's hours that have records, each with the version it was read at. */
  readonly packs: readonly { readonly key: string; readonly etag: string }[];
  /** Record keys of the day outside every pack (read one by one). */
  readonly rest: readonly string[];
  readonly facts_version: number;
  readonly facts: readonly RunFacts[];
  /** Records of the day that could not be read or decoded when it was summarised. */
  readonly skipped: readonly { readonly key: string; readonly reason: string }[];
}

const factsSchema = z.object({
  checked_at: z.string(),
  trigger: z.object({
    trigger: z.string(),
    execution_id: z.optional(z.string()),
    scheduled_time: z.optional(z.string()),
  }),
  critical: z.boolean(),
  max_exit_attempt_count: z.optional(z.number()),
  trades: z.optional(z.array(z.string())),
  imports: z.optional(z.array(z.string())),
  imports_unknown: z.optional(z.literal(true)),
  tasks: z.optional(z.array(z.string())),
});

const summarySchema = z.object({
  schema: z.literal(DAY_SUMMARY_SCHEMA),
  date: z.string(),
  from: z.string(),
  to: z.string(),
  written_at: z.string(),
  packs: z.array(z.object({ key: z.string(), etag: z.string() })),
  rest: z.array(z.string()),
  facts_version: z.number(),
  facts: z.array(factsSchema),
  skipped: z.array(z.object({ key: z.string(), reason: z.string() })),
});

export function encodeDaySummary(summary: DaySummary): string {
  return JSON.stringify({ schema: DAY_SUMMARY_SCHEMA, ...summary });
}

/**
 * The summary of that date, or why it cannot be used. Facts counted by another version of the KPI code
 * are not usable (`factsUsable: false`): the day's records are still found through the summary.
 */
export function decodeDaySummary(
  text: string,
  date: string,
): { readonly summary: DaySummary; readonly factsUsable: boolean } | { readonly problem: string } {
  let parsed: unknown;
  try {
    parsed = parseJsonInput(text);
  } catch (err) {
    return { problem: `not JSON (${(err as Error).message})` };
  }
  const read = summarySchema.safeParse(parsed);
  if (!read.success) return { problem: `not a day summary (${read.error.issues[0]?.message ?? 'schema'})` };
  // A trigger is any string here, as decodeRun takes a record's: the names are the records' own.
  const summary = { ...read.data, schema: undefined } as unknown as DaySummary;
  delete (summary as { schema?: unknown }).schema;
  if (summary.date !== date) return { problem: `it is the summary of ${summary.date}` };
  if (summary.facts.some((f) => parseTimestamp(f.checked_at) === undefined))
    return { problem: 'a record without a valid time' };
  return { summary, factsUsable: summary.facts_version === KPI_FACTS_VERSION };
}
