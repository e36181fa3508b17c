// What the gate needs to know beyond the observation: which runtime is "this runtime", and how old a
// reconciliation proof may be in the session. Parsed once, errors naming the setting.
import {
  CLOSURES_VARIABLE,
  NUMERIC_VARIABLES,
  withBundleConfig,
  type DetectorConfig,
} from '../../lambda/detector/config';
import { ConfigError } from '../../lambda/shared/errors';
import { ENV } from '../../lambda/shared/env-names';

/** The runbook's service; the cluster has no default (a gate that does not know it cannot tell another). */
export const DEFAULT_SERVICE = 'aegis-pt-core';

/**
 * The runbook does not say how often the runtime reconciles positions during the session. The safe
 * reading: a proof older than this, in the session, is stale (the spec's healthy payload shows one 90 s
 * old). Outside the session the proof must only be newer than the last close and the task's start.
 */
export const RECONCILE_MAX_AGE_VARIABLE = 'AEGIS_PT_GATE_RECONCILE_MAX_SEC';
export const DEFAULT_RECONCILE_MAX_AGE_SEC = 900;

export interface RuntimeIdentity {
  readonly service: string;
  /** The cluster name (or ARN); undefined when not configured: no observation can then be of this runtime. */
  readonly cluster?: string;
}

export interface GateSettings {
  readonly runtime: RuntimeIdentity;
  readonly reconcileMaxAgeSec: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function parseGateSettings(env: Env): GateSettings {
  const raw = env[RECONCILE_MAX_AGE_VARIABLE];
  let reconcileMaxAgeSec = DEFAULT_RECONCILE_MAX_AGE_SEC;
  if (raw !== undefined) {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 60 || Number(raw) > 86_400)
      throw new ConfigError(
        RECONCILE_MAX_AGE_VARIABLE,
        `must be a whole number of seconds from 60 to 86400, got ${JSON.stringify(raw)}`,
      );
    reconcileMaxAgeSec = Number(raw);
  }
  const cluster = env[ENV.cluster]?.trim();
  return {
    runtime: { service: env[ENV.service]?.trim() || DEFAULT_SERVICE, ...(cluster ? { cluster } : {}) },
    reconcileMaxAgeSec,
  };
}

export const DEFAULT_GATE_SETTINGS: GateSettings = {
  runtime: { service: DEFAULT_SERVICE },
  reconcileMaxAgeSec: DEFAULT_RECONCILE_MAX_AGE_SEC,
};

/**
 * The settings an observation's own `config` would change for the gate (the detector lets a bundle's
 * config win): none may. The gate judges against the operator's configuration; evidence that brings its
 * own thresholds or market closures would grade itself (a closure for today turned a market-hours deploy
 * into one "outside market hours", with no scheduled check owed).
 */
export function bundleConfigChanges(operator: DetectorConfig, bundleConfig: unknown): string[] {
  const merged = withBundleConfig(operator, bundleConfig);
  const variable = (key: string) =>
    Object.entries(NUMERIC_VARIABLES).find(([, spec]) => spec.key === key)?.[0] ??
    (key === 'marketClosures' ? CLOSURES_VARIABLE : key);
  return (Object.keys(operator) as (keyof DetectorConfig)[])
    .filter((k) => JSON.stringify(merged[k]) !== JSON.stringify(operator[k]))
    .map(variable);
}
