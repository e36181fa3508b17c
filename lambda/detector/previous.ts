// Recognises a previous detector output (the dedup snapshot); anything else is ignored with a note.
// zod/mini: the same validation as zod with a tree-shakable API, so the Lambda bundle stays small.
import * as z from 'zod/mini';
import { deeperThan } from './bounds';
import { parseTimestamp } from './time';
import { OUTPUT_SCHEMA, type DetectorOutput, type InfoItem } from './types';

const eventSchema = z.looseObject({
  code: z.string(),
  severity: z.enum(['warn', 'critical']),
  signature: z.string(),
  summary: z.string(),
  first_seen_at: z.string(),
  consecutive: z.int().check(z.minimum(1)),
  escalate: z.boolean(),
  notified_at: z.optional(z.string()),
});

const outputSchema = z.looseObject({
  schema: z.literal(OUTPUT_SCHEMA),
  checked_at: z.string().check(z.refine((v) => parseTimestamp(v) !== undefined, 'not a timestamp')),
  events: z.array(eventSchema),
});

export interface PreviousRun {
  readonly output: DetectorOutput;
  readonly checkedAtMs: number;
  readonly ageMs: number;
  /** Counts as "the previous run" for persistence and dedup (age <= PERSIST_MAX_GAP_SEC). */
  readonly fresh: boolean;
}

export type PreviousReading = { readonly previous?: PreviousRun; readonly info?: InfoItem };

export function isDetectorOutput(value: unknown): value is DetectorOutput {
  return outputSchema.safeParse(value).success;
}

/** Our own outputs nest a few levels; anything deeper is not one, and would overflow JSON.stringify. */
const PREVIOUS_MAX_DEPTH = 32;

export function readPrevious(value: unknown, nowMs: number, persistMaxGapSec: number): PreviousReading {
  if (value === undefined || value === null) return {};
  if (deeperThan(value, PREVIOUS_MAX_DEPTH)) {
    return {
      info: {
        code: 'previous_ignored',
        summary: `previous is not a detector output (nested deeper than ${PREVIOUS_MAX_DEPTH}); dedup starts afresh`,
      },
    };
  }
  const parsed = outputSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      info: {
        code: 'previous_ignored',
        summary: `previous is not a detector output (${issue.path.join('.') || 'root'}: ${issue.message}); dedup starts afresh`,
      },
    };
  }
  const output = value as DetectorOutput;
  const checkedAtMs = parseTimestamp(output.checked_at) as number;
  const ageMs = nowMs - checkedAtMs;
  return { previous: { output, checkedAtMs, ageMs, fresh: ageMs <= persistMaxGapSec * 1000 } };
}
