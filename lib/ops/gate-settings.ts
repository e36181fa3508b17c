// What the gate needs to know beyond the observation: which runtime is "this runtime", and how old a
// reconciliation proof may be in the session. Parsed once, errors naming the setting.
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
