// Replay: the detector chain re-run over stored observations with changed settings, and what would
// have been told compared with what was told. Pure: the records come in, the comparison goes out.
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { BadInputError, detect } from '../../lambda/detector/detect';
import { hasNews } from '../../lambda/detector/messages';
import type { Decision, DetectorEvent, DetectorOutput, RunRecord } from '../../lambda/detector/types';
import { outputOfRecord, replayBundle } from '../../lambda/run-observation';

/** One notification: the run that sent it, its decision and what it said. */
export interface Told {
  readonly at: string;
  readonly trigger: string;
  readonly decision: Decision;
  /** `severity:signature`, with `!` after the severity when the event escalates. */
  readonly new: readonly string[];
  readonly resolved: readonly string[];
}

export interface ToldLine {
  /** `=` told alike both times, `-` told then only (or differently), `+` told now only (or differently). */
  readonly mark: '=' | '-' | '+';
  readonly told: Told;
}

export interface LostEvent {
  readonly signature: string;
  readonly severity: string;
  readonly escalate: boolean;
  readonly told_at: string;
}

export interface ReplayReport {
  readonly from: string;
  readonly to: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly runs: number;
  /** Runs stored without their observation (older records): not replayed, never compared. */
  readonly runs_without_observation: readonly string[];
  /** Runs whose stored observation cannot be judged (a damaged record): skipped, each with why. */
  readonly runs_unreadable: readonly { readonly checked_at: string; readonly reason: string }[];
  readonly notifications_then: number;
  readonly notifications_now: number;
  readonly lines: readonly ToldLine[];
  /** Each telling of an event (signature at a severity) before that the new settings never repeat. */
  readonly no_longer_told: readonly LostEvent[];
  readonly newly_told: readonly LostEvent[];
  /** Escalations told before that the new settings would never have told: the exit-4 verdict. */
  readonly escalations_lost: readonly LostEvent[];
  readonly verdict: 'same' | 'different' | 'escalation_lost';
}

const label = (e: DetectorEvent) => `${e.severity}${e.escalate ? '!' : ''}:${e.signature}`;

function told(output: DetectorOutput, trigger: string): Told | null {
  if (!hasNews(output)) return null;
  return {
    at: output.checked_at,
    trigger,
    decision: output.decision,
    new: output.new_events.map(label),
    resolved: output.resolved_events.map((e) => e.signature),
  };
}

const sameTold = (a: Told, b: Told) =>
  a.decision === b.decision && a.new.join() === b.new.join() && a.resolved.join() === b.resolved.join();

interface Telling {
  readonly event: DetectorEvent;
  readonly at: string;
}

function tellings(outputs: readonly DetectorOutput[]): Telling[] {
  return outputs.flatMap((o) => o.new_events.map((event) => ({ event, at: o.checked_at })));
}

/**
 * Tellings of `a` that `b` never matches: the same key told at the same run first, then any other
 * telling of that key (told earlier or later counts as told), so only what `b` never tells is left.
 */
function unmatched(a: Telling[], b: Telling[], key: (e: DetectorEvent) => string): LostEvent[] {
  const pool = new Map<string, string[]>();
  for (const t of b) pool.set(key(t.event), [...(pool.get(key(t.event)) ?? []), t.at]);
  const rest: Telling[] = [];
  for (const t of a) {
    const times = pool.get(key(t.event)) ?? [];
    const i = times.indexOf(t.at);
    if (i >= 0) times.splice(i, 1);
    else rest.push(t);
  }
  const lost: LostEvent[] = [];
  for (const t of rest) {
    const times = pool.get(key(t.event)) ?? [];
    if (times.length > 0) times.shift();
    else
      lost.push({
        signature: t.event.signature,
        severity: t.event.severity,
        escalate: t.event.escalate,
        told_at: t.at,
      });
  }
  return lost;
}

/**
 * Re-runs the chain over `records` (sorted by checked_at) with `settings` over each run's own. The
 * chain starts from `seed`, the stored output the first run followed, so the first run is judged as
 * it was. Throws what detect() throws for a bad setting (ConfigError names the variable).
 */
export function replay(
  records: readonly RunRecord[],
  settings: Readonly<Record<string, string>>,
  range: { from: string; to: string },
  seed: RunRecord | null = null,
): ReplayReport {
  const then: DetectorOutput[] = [];
  const now: DetectorOutput[] = [];
  const without: string[] = [];
  const unreadable: { checked_at: string; reason: string }[] = [];
  const lines: ToldLine[] = [];
  let previous: DetectorOutput | null = seed ? outputOfRecord(seed) : null;
  for (const record of records) {
    if (!record.observation) {
      without.push(record.checked_at);
      continue;
    }
    const observation = { ...record.observation, config: { ...record.observation.config, ...settings } };
    let output: DetectorOutput;
    try {
      output = detect(replayBundle(observation, previous), DEFAULT_CONFIG);
    } catch (err) {
      // A damaged record is skipped and named; a bad setting (ConfigError) stops the whole replay.
      if (!(err instanceof BadInputError)) throw err;
      unreadable.push({ checked_at: record.checked_at, reason: err.message });
      continue;
    }
    // A run older than the stored snapshot was judged for the record only: the chain goes on without it.
    if (!record.info.some((i) => i.code === 'observation_superseded')) previous = output;
    then.push(record);
    now.push(output);
    const a = told(record, record.trigger.trigger);
    const b = told(output, record.trigger.trigger);
    if (a && b && sameTold(a, b)) lines.push({ mark: '=', told: a });
    else {
      if (a) lines.push({ mark: '-', told: a });
      if (b) lines.push({ mark: '+', told: b });
    }
  }
  const byTelling = (e: DetectorEvent) => label(e);
  const byEscalation = (e: DetectorEvent) => e.signature;
  const escalations = (ts: Telling[]) => ts.filter((t) => t.event.escalate);
  const noLonger = unmatched(tellings(then), tellings(now), byTelling);
  const escalationsLost = unmatched(escalations(tellings(then)), escalations(tellings(now)), byEscalation);
  const newly = unmatched(tellings(now), tellings(then), byTelling);
  return {
    ...range,
    settings,
    runs: records.length,
    runs_without_observation: without,
    runs_unreadable: unreadable,
    notifications_then: then.filter(hasNews).length,
    notifications_now: now.filter(hasNews).length,
    lines,
    no_longer_told: noLonger,
    newly_told: newly,
    escalations_lost: escalationsLost,
    verdict:
      escalationsLost.length > 0
        ? 'escalation_lost'
        : lines.every((l) => l.mark === '=')
          ? 'same'
          : 'different',
  };
}
