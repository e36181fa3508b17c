// detect(): the pure core. One observation bundle in, one detector output out; no I/O, the clock is
// the bundle's `now`.
import { cut, safeJson } from './bounds';
import { DEFAULT_CONFIG, withBundleConfig, type DetectorConfig } from './config';
import { decide } from './decision';
import { readEcsObservation } from './ecs-observation';
import { applyLifecycle } from './lifecycle';
import { clockAt } from './market-clock';
import { readPrevious } from './previous';
import { DEPENDENT_RULES, RULES } from './rules';
import type { Emit, Finding, RuleContext } from './rules/rule';
import { readSignals } from './signals';
import { AegisError } from '../shared/errors';
import { readSilences, silenceNotes } from './silences';
import { validateStatus } from './status-schema';
import { formatUtc, parseTimestamp } from './time';
import {
  OUTPUT_SCHEMA,
  type DetectorOutput,
  type InfoItem,
  type ObservationBundle,
  type TriggerContext,
} from './types';

/** `now` is rendered as UTC, ET and JST with four-digit years: keep every rendering well-formed (ICU's pre-1883 local mean time has no whole-minute offset). */
const NOW_MIN_MS = Date.parse('1970-01-01T00:00:00Z');
const NOW_MAX_MS = Date.UTC(9999, 11, 30, 23, 59, 59);

/** The bundle itself is unusable (no valid `now`, not an object): exit 2, nothing to evaluate. */
export class BadInputError extends AegisError {}

/** The trigger's scalar fields only, bounded: a bundle's trigger is input like any other. */
function triggerOf(value: unknown): TriggerContext | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const t = value as Record<string, unknown>;
  if (typeof t.trigger !== 'string') return undefined;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(t).slice(0, 20)) {
    const v = t[k];
    if (typeof v === 'string') out[k] = cut(v, 300);
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out as unknown as TriggerContext;
}

function errorText(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'string' ? cut(value, 300) : safeJson(value);
}

function contextOf(
  bundle: ObservationBundle,
  nowMs: number,
  config: DetectorConfig,
): Omit<RuleContext, 'previousAgeMs' | 'previousCheckedAt'> {
  const clock = clockAt(nowMs, config);
  const hasPayload = bundle.status_v3 !== undefined;
  const validation = hasPayload ? validateStatus(bundle.status_v3) : undefined;
  const ecsReading =
    bundle.ecs !== undefined
      ? readEcsObservation(bundle.ecs)
      : { error: errorText(bundle.ecs_error, 'no ECS observation') };
  return {
    nowMs,
    clock,
    inSession: clock.market === 'open',
    config,
    status: validation?.status ?? null,
    dashboardError: hasPayload ? undefined : errorText(bundle.dashboard_error, 'no dashboard payload'),
    invalidFields: validation?.invalid ?? [],
    invalidFieldsTotal: validation?.invalidTotal ?? 0,
    ...(validation?.reasons ? { invalidReasons: validation.reasons } : {}),
    unavailableFields: validation?.unavailable ?? [],
    ecs: 'ecs' in ecsReading ? ecsReading.ecs : null,
    ecsError: 'error' in ecsReading ? ecsReading.error : undefined,
  };
}

/**
 * Evaluates one bundle with the config parsed once at the boundary (parseDetectorConfig); the
 * bundle's `config` wins over it. Throws BadInputError or ConfigError for input that cannot be
 * evaluated at all.
 */
export function detect(input: unknown, baseConfig: DetectorConfig = DEFAULT_CONFIG): DetectorOutput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BadInputError('the observation bundle must be a JSON object');
  }
  const bundle = input as ObservationBundle;
  const parsedNow = parseTimestamp(bundle.now);
  if (parsedNow === undefined || parsedNow < NOW_MIN_MS || parsedNow > NOW_MAX_MS) {
    throw new BadInputError(
      `"now" must be an ISO-8601 timestamp with an offset, between 1970-01-01 and 9999-12-30 UTC (so that its UTC, ET and JST renderings are well-formed), got ${safeJson(bundle.now, 80)}`,
    );
  }
  const bundleConfig = bundle.config;
  if (
    bundleConfig !== undefined &&
    bundleConfig !== null &&
    (typeof bundleConfig !== 'object' || Array.isArray(bundleConfig))
  ) {
    throw new BadInputError('"config" must be an object of AEGIS_PT_* settings');
  }
  const config = withBundleConfig(baseConfig, bundleConfig);
  // Every output timestamp has second precision; judging at that same instant keeps re-runs idempotent.
  const nowMs = Math.floor(parsedNow / 1000) * 1000;
  const checkedAt = formatUtc(nowMs);
  const info: InfoItem[] = [];
  const prev = readPrevious(bundle.previous, nowMs, config.persistMaxGapSec);
  if (prev.info) info.push(prev.info);
  const silences = readSilences(bundle.silences, nowMs, {
    marketClosures: config.marketClosures,
    previous: prev.previous?.output,
    ...(bundle.silences_unreadable !== undefined ? { unreadable: bundle.silences_unreadable } : {}),
  });
  info.push(...silences.info);
  const ctx: RuleContext = {
    ...contextOf(bundle, nowMs, config),
    previousAgeMs: prev.previous?.ageMs,
    previousCheckedAt: prev.previous?.output.checked_at,
  };

  const findings: Finding[] = [];
  const emit: Emit = { event: (f) => findings.push(f), info: (i) => info.push(i) };
  for (const rule of RULES) rule(ctx, emit);
  const raised = new Set(findings.map((f) => f.code));
  for (const rule of DEPENDENT_RULES) rule(ctx, raised, emit);
  const trigger = triggerOf(bundle.trigger);
  if (trigger?.reason) {
    info.push({
      code: 'trigger_event',
      summary: `${trigger.source_event ?? trigger.trigger}: ${trigger.reason}`,
      details: { ...trigger },
    });
  }

  const life = applyLifecycle(findings, prev.previous, checkedAt, nowMs, config, silences.active);
  const { decision, reason } = decide(life.events);
  const signals = readSignals(ctx);
  signals.events_critical = life.events.filter((e) => e.severity === 'critical').length;
  signals.events_warn = life.events.filter((e) => e.severity === 'warn').length;
  signals.new_events = life.newEvents.length;
  signals.resolved_events = life.resolvedEvents.length;
  return {
    schema: OUTPUT_SCHEMA,
    checked_at: checkedAt,
    clock: ctx.clock,
    signals,
    events: life.events,
    new_events: life.newEvents,
    resolved_events: life.resolvedEvents,
    info,
    decision,
    decision_reason: reason,
    ...(trigger ? { trigger } : {}),
    ...(silences.active.length > 0 || silences.carried?.length
      ? { silences: silenceNotes(silences.active, life.events, silences.carried) }
      : {}),
  };
}
