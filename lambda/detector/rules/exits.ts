// Exit-safety family: working and stuck exits, broker-state uncertainty, exit retries.
import type { StatusV3 } from '../types';
import { finding, type EscalatePolicy, type Rule } from './rule';

export const pendingExits: Rule = (ctx, emit) => {
  const n = ctx.status?.pending_exits ?? 0;
  if (n <= 0) return;
  emit.event(
    finding('pending_exits', {
      severity: 'warn',
      persistedSeverity: 'critical',
      summary: `pending_exits=${n}`,
      details: { pending_exits: n },
    }),
  );
};

export const stuckExits: Rule = (ctx, emit) => {
  const n = ctx.status?.stuck_exits ?? 0;
  if (n <= 0) return;
  emit.event(
    finding('stuck_exits', {
      severity: 'critical',
      escalate: 'always',
      summary: `stuck_exits=${n}`,
      details: { stuck_exits: n },
    }),
  );
};

function flagRule(
  field: keyof Pick<StatusV3, 'unknown_fill' | 'send_outcome_unknown' | 'broker_confirmation_required'>,
  escalate: EscalatePolicy,
  summary: string,
): Rule {
  return (ctx, emit) => {
    if (ctx.status?.[field] !== true) return;
    emit.event(finding(field, { severity: 'critical', escalate, summary, details: { [field]: true } }));
  };
}

export const unknownFill = flagRule(
  'unknown_fill',
  'always',
  'unknown fill: a fill the runtime cannot attribute',
);
export const sendOutcomeUnknown = flagRule(
  'send_outcome_unknown',
  'never',
  'send outcome unknown: an order may or may not have reached the broker',
);
export const brokerConfirmationRequired = flagRule(
  'broker_confirmation_required',
  'never',
  'broker confirmation required before the runtime can continue',
);

export function maxExitAttempts(status: StatusV3 | null): number | undefined {
  if (status === null) return undefined;
  const positions = status.open_positions ?? [];
  if (status.max_exit_attempt_count === undefined && positions.length === 0) return undefined;
  // A loop, not Math.max(...array): spreading a payload-sized array into arguments overflows the stack.
  let max = status.max_exit_attempt_count ?? 0;
  for (const p of positions) max = Math.max(max, p.exit_attempt_count ?? 0);
  return max;
}

export const highExitAttempts: Rule = (ctx, emit) => {
  const n = maxExitAttempts(ctx.status);
  const { highExitAttemptWarn: warn, highExitAttemptCritical: critical } = ctx.config;
  if (n === undefined || n < warn) return;
  const symbols = (ctx.status?.open_positions ?? [])
    .filter((p) => (p.exit_attempt_count ?? 0) >= warn)
    .map((p) => p.symbol ?? '?');
  emit.event(
    finding('high_exit_attempts', {
      severity: n >= critical ? 'critical' : 'warn',
      summary: `exit attempts reached ${n} (warn at ${warn}, critical at ${critical})${symbols.length ? `: ${symbols.join(', ')}` : ''}`,
      details: { max_exit_attempt_count: n, symbols },
    }),
  );
};

export const EXIT_RULES: readonly Rule[] = [
  pendingExits,
  stuckExits,
  unknownFill,
  sendOutcomeUnknown,
  brokerConfirmationRequired,
  highExitAttempts,
];
