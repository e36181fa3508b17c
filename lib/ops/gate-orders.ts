// The runbook's pending-order step: 0 preferred; one normal-age entry order may clear, reprice or cancel
// (TWS 202) on its own (WAIT); an exit order working, or more than one, is STOP.
import { olderThan } from '../../lambda/detector/rules/rule';
import { parseTimestamp } from '../../lambda/detector/time';
import { criterion, GATE_SKEW_SEC, type Criterion } from './gate';
import type { GateRule } from './gate-evidence';

const NAME = 'pending orders (0 preferred)';

export const pendingOrders: GateRule = {
  name: NAME,
  checks:
    'pending_orders=0 and no order listed (one normal-age entry order: WAIT; an exit order or more: STOP)',
  needs: { fields: ['pending_orders', 'pending_order_details'] },
  judge: ({ view, nowMs, config }): Criterion => {
    const s = view.status!;
    const details = s.pending_order_details!;
    const n = Math.max(s.pending_orders!, details.length);
    if (n === 0) return criterion(NAME, true, 'pending_orders=0');
    const exitOrders = details.filter((o) => o.purpose === 'exit');
    if (exitOrders.length > 0)
      return criterion(
        NAME,
        false,
        `exit order working: ${exitOrders.map((o) => `${o.order_id} ${o.symbol}`).join(', ')}: stop`,
      );
    const only = details[0];
    const at = parseTimestamp(only?.submitted_at);
    const ageSec = at === undefined ? undefined : Math.floor((nowMs - at) / 1000);
    if (
      n === 1 &&
      only?.purpose === 'entry' &&
      at !== undefined &&
      nowMs - at >= -GATE_SKEW_SEC * 1000 &&
      // As the detector's pending_order_stale counts it, in milliseconds: 600.5 s is past 600 s.
      !olderThan(nowMs, at, config.pendingOrderStaleSec)
    )
      return criterion(
        NAME,
        false,
        `one entry order ${only.order_id} ${only.symbol}, ${ageSec}s old: wait for it to clear, reprice or cancel (202)`,
        'warn',
      );
    return criterion(
      NAME,
      false,
      `pending_orders=${n}${only ? `, oldest ${only.order_id} ${only.purpose ?? '?'}` : ''}`,
    );
  },
};
