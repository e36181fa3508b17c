// What every catalog rule sees and how it reports. A rule is a small pure function of the context.
import { boundedDetails, boundedSignature, cut, SUMMARY_MAX } from '../bounds';
import type { DetectorConfig } from '../config';
import type { ClockInfo, Details, EcsObservation, InfoItem, Severity, StatusV3 } from '../types';

export type EscalatePolicy = 'never' | 'always' | 'when_persisted';

/** A raised condition before the lifecycle (dedup, persistence) turns it into a DetectorEvent. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly signature: string;
  readonly summary: string;
  readonly details: Details;
  readonly escalate: EscalatePolicy;
  /** The severity once persisted (contract 4: two consecutive runs and PERSIST_MIN_SEC open), where the catalog raises it. */
  readonly persistedSeverity?: Severity;
  /** Escalate, whatever the policy, once open longer than this since `first_seen_at` ("does not clear"). */
  readonly escalateAfterOpenSec?: number;
}

export interface RuleContext {
  readonly nowMs: number;
  readonly clock: ClockInfo;
  /** Between the open and the close of a trading day. */
  readonly inSession: boolean;
  readonly config: DetectorConfig;
  /** The validated payload; null when there is none or it is not an object. */
  readonly status: StatusV3 | null;
  readonly dashboardError?: string;
  /** Paths of wrong-typed payload fields. */
  readonly invalidFields: readonly string[];
  /** How many fields were wrong-typed in all; `invalidFields` keeps only the first paths. */
  readonly invalidFieldsTotal?: number;
  /** Why a path is invalid when its type was right but it broke a limit ("over the limit of 2,000 items"). */
  readonly invalidReasons?: Readonly<Record<string, string>>;
  readonly unavailableFields: readonly string[];
  /** Null when ECS could not be read. */
  readonly ecs: EcsObservation | null;
  readonly ecsError?: string;
  /** Age of a valid previous output, when there is one. */
  readonly previousAgeMs?: number;
  readonly previousCheckedAt?: string;
}

export interface Emit {
  event(finding: Finding): void;
  info(item: InfoItem): void;
}

export type Rule = (ctx: RuleContext, emit: Emit) => void;

/** A rule that reads which codes the independent rules raised (market data's "together with"). */
export type DependentRule = (ctx: RuleContext, raised: ReadonlySet<string>, emit: Emit) => void;

export interface FindingInput {
  readonly severity: Severity;
  readonly summary: string;
  readonly details?: Details;
  readonly escalate?: EscalatePolicy;
  /** Discriminator values; sorted into the signature so order in the payload does not matter. */
  readonly discriminators?: readonly string[];
  readonly persistedSeverity?: Severity;
  readonly escalateAfterOpenSec?: number;
}

export function finding(code: string, input: FindingInput): Finding {
  const disc =
    input.discriminators && input.discriminators.length > 0 ? [...new Set(input.discriminators)].sort() : [];
  return {
    code,
    severity: input.severity,
    signature: boundedSignature(code, disc),
    summary: cut(input.summary, SUMMARY_MAX),
    details: boundedDetails(input.details ?? {}),
    escalate: input.escalate ?? 'never',
    ...(input.persistedSeverity ? { persistedSeverity: input.persistedSeverity } : {}),
    ...(input.escalateAfterOpenSec !== undefined ? { escalateAfterOpenSec: input.escalateAfterOpenSec } : {}),
  };
}

/** "older than X" is age > X; a timestamp in the future is never stale. */
export function olderThan(nowMs: number, thenMs: number, limitSec: number): boolean {
  return nowMs - thenMs > limitSec * 1000;
}

/** Task ARNs match exactly or by task id (the last path segment). */
export function sameTask(a: string, b: string): boolean {
  if (a === b) return true;
  const id = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
  return id(a) !== '' && id(a) === id(b);
}

export function taskId(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : '?';
}
