// The payload's golden signals as gate criteria: one field each, the heartbeat, reconciliation flags, IBKR
// log signals, market data, positions and trades. Each reads only what its rule declares (gate-evidence.ts).
import { RECONCILE_FLAGS } from '../../lambda/detector/rules/reconcile';
import { criterion, GATE_FRESH_SEC, GATE_SKEW_SEC, type Criterion } from './gate';
import { fieldValue, type GateRule } from './gate-evidence';

/** One reported field that must have one value. */
export const field = (
  name: string,
  path: string,
  want: unknown,
  checks = `${path} = ${JSON.stringify(want)}`,
): GateRule => ({
  name,
  checks,
  needs: { fields: [path] },
  judge: ({ view }) => {
    const v = fieldValue(view.status, path);
    return criterion(name, v === want, `${path}=${JSON.stringify(v)}`);
  },
});

/** Reads the detector's own heartbeat age; the limit is the runbook's, not the configured one. */
export const heartbeatFresh: GateRule = {
  name: `fresh heartbeat (under ${GATE_FRESH_SEC}s)`,
  checks: `heartbeat_at under ${GATE_FRESH_SEC}s old whatever AEGIS_PT_HEARTBEAT_STALE_SEC says, not in the future`,
  needs: { fields: ['heartbeat_at'] },
  judge: ({ output }) => {
    const age = output.signals.heartbeat_age_sec;
    const name = `fresh heartbeat (under ${GATE_FRESH_SEC}s)`;
    if (age === undefined) return criterion(name, false, 'heartbeat age not computed');
    if (age < -GATE_SKEW_SEC) return criterion(name, false, `heartbeat ${-age}s in the future: not evidence`);
    // "Under 5 minutes": a heartbeat exactly 300 s old is not under it.
    return criterion(name, age < GATE_FRESH_SEC, `age ${age}s`);
  },
};

export const reconcileFlags: GateRule = {
  name: 'reconcile flags all false',
  checks: RECONCILE_FLAGS.map((f) => `${f}=false`).join(', '),
  needs: { fields: RECONCILE_FLAGS },
  judge: ({ view }) =>
    criterion(
      'reconcile flags all false',
      RECONCILE_FLAGS.every((f) => view.status![f] === false),
      RECONCILE_FLAGS.map((f) => `${f}=${String(view.status![f])}`).join(' '),
    ),
};

const LOG_COUNTS = [
  'existing_session_detected',
  'ibkr_1100',
  'ibkr_1101',
  'ibkr_1102',
  'fatal',
  'severe',
] as const;

export const logSignals: GateRule = {
  name: 'IBKR log signals clean',
  checks:
    'over a window longer than 0 s: no existing session, no 1100, no fatal (STOP); no 1101, no severe (else WAIT)',
  needs: { fields: ['log_signals.window_sec', ...LOG_COUNTS.map((k) => `log_signals.${k}`)] },
  judge: ({ view }): Criterion => {
    const l = view.status!.log_signals!;
    const seen = `window ${l.window_sec}s: ${LOG_COUNTS.map((k) => `${k}=${l[k]}`).join(' ')}`;
    if ((l.existing_session_detected ?? 0) > 0 || (l.ibkr_1100 ?? 0) > 0 || (l.fatal ?? 0) > 0)
      return criterion('IBKR log signals clean', false, seen);
    return criterion('IBKR log signals clean', !(l.ibkr_1101! > 0 || l.severe! > 0), seen, 'warn');
  },
};

export const marketData: GateRule = {
  name: 'market data ok',
  checks: 'market_data_status=ok and no recent 10197 (degraded or 10197: WAIT; down: STOP)',
  needs: { fields: ['market_data_status', 'market_data_10197_recent'] },
  judge: ({ view }) => {
    const s = view.status!;
    const seen = `market_data_status=${s.market_data_status} market_data_10197_recent=${s.market_data_10197_recent}`;
    if (s.market_data_status === 'down') return criterion('market data ok', false, seen);
    return criterion(
      'market data ok',
      s.market_data_status === 'ok' && s.market_data_10197_recent === 0,
      seen,
      'warn',
    );
  },
};

export const positionsAndTrades: GateRule = {
  name: 'positions and trades reported',
  checks: 'open_positions and recent_trades listed; the highest exit attempt count under the warn threshold',
  needs: { fields: ['open_positions', 'recent_trades', 'max_exit_attempt_count'] },
  judge: ({ view, config }) => {
    const s = view.status!;
    const attempts = Math.max(
      s.max_exit_attempt_count!,
      ...s.open_positions!.map((p) => p.exit_attempt_count ?? 0),
    );
    const seen = `${s.open_positions!.length} open position(s), ${s.recent_trades!.length} recent trade(s), highest exit attempt count ${attempts}`;
    if (attempts >= config.highExitAttemptCritical)
      return criterion('positions and trades reported', false, seen);
    return criterion('positions and trades reported', attempts < config.highExitAttemptWarn, seen, 'warn');
  },
};
