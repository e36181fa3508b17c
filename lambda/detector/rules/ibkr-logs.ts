// IBKR-log family: competing sessions, connectivity codes 1100/1101/1102, severe log bursts.
import { finding, type Rule } from './rule';

export const sessionConflict: Rule = (ctx, emit) => {
  const n = ctx.status?.log_signals?.existing_session_detected ?? 0;
  if (n <= 0) return;
  emit.event(
    finding('session_conflict', {
      severity: 'critical',
      escalate: n >= 2 ? 'always' : 'never',
      summary: `"Existing session detected" x${n} in the log window`,
      details: { existing_session_detected: n, window_sec: ctx.status?.log_signals?.window_sec ?? null },
    }),
  );
};

export const ibkrConnectivity: Rule = (ctx, emit) => {
  const log = ctx.status?.log_signals;
  if (!log) return;
  const lost = log.ibkr_1100 ?? 0;
  const restoredDataLost = log.ibkr_1101 ?? 0;
  const restored = log.ibkr_1102 ?? 0;
  const details = {
    ibkr_1100: lost,
    ibkr_1101: restoredDataLost,
    ibkr_1102: restored,
    window_sec: log.window_sec ?? null,
  };
  if (lost > 0) {
    emit.event(
      finding('ibkr_connectivity', {
        severity: 'critical',
        escalate: lost >= 2 ? 'always' : 'never',
        summary: `IBKR connectivity lost (1100 x${lost}) in the log window`,
        details,
      }),
    );
  } else if (restoredDataLost > 0) {
    emit.event(
      finding('ibkr_connectivity', {
        severity: 'warn',
        summary: `IBKR connectivity restored with data lost (1101 x${restoredDataLost})`,
        details,
      }),
    );
  } else if (restored > 0) {
    emit.info({
      code: 'ibkr_connectivity_restored',
      summary: `IBKR connectivity restored (1102 x${restored})`,
      details,
    });
  }
};

export const severeLogBurst: Rule = (ctx, emit) => {
  const log = ctx.status?.log_signals;
  if (!log) return;
  const fatal = log.fatal ?? 0;
  const severe = log.severe ?? 0;
  const burst = ctx.config.severeLogBurst;
  if (fatal === 0 && severe < burst) return;
  emit.event(
    finding('severe_log_burst', {
      severity: 'critical',
      summary: `fatal=${fatal} severe=${severe} in the log window (burst at ${burst} severe or any fatal)`,
      details: { fatal, severe, window_sec: log.window_sec ?? null },
    }),
  );
};

export const IBKR_LOG_RULES: readonly Rule[] = [sessionConflict, ibkrConnectivity, severeLogBurst];
