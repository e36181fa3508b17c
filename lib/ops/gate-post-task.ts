// After the deploy, the new task itself: its containers as the golden signals say, and no broker import
// it brought that the baseline did not have.
import { brokerImportKeys } from '../../lambda/detector/rules/attribution';
import { GATEWAY_CONTAINER, TRADER_CONTAINER } from '../../lambda/detector/rules/runtime';
import { parseTimestamp } from '../../lambda/detector/time';
import { criterion, serviceTask } from './gate';
import type { GateRule } from './gate-evidence';

/** The golden signals; a gateway still UNKNOWN inside the startup grace is not yet known: WAIT. */
export const containers: GateRule = {
  name: 'containers as the golden signals say',
  checks:
    'ibkr-gateway RUNNING and HEALTHY (UNKNOWN inside AEGIS_PT_TASK_STARTUP_GRACE_SEC: WAIT), lt-ibkr-trader RUNNING',
  needs: { ecs: ['service', 'tasks'] },
  judge: (ctx) => {
    const task = serviceTask(ctx);
    const c = (n: string) => task?.containers?.find((x) => x.name === n);
    const gw = c(GATEWAY_CONTAINER);
    const tr = c(TRADER_CONTAINER);
    const name = 'containers as the golden signals say';
    const seen = `${GATEWAY_CONTAINER} ${gw ? `${gw.lastStatus ?? '?'}/${gw.healthStatus ?? 'UNKNOWN'}` : 'missing'}, ${TRADER_CONTAINER} ${tr?.lastStatus ?? 'missing'}`;
    if (gw?.lastStatus !== 'RUNNING' || tr?.lastStatus !== 'RUNNING') return criterion(name, false, seen);
    if (gw.healthStatus === 'HEALTHY') return criterion(name, true, seen);
    const started = parseTimestamp(task?.startedAt);
    const inGrace =
      (gw.healthStatus ?? 'UNKNOWN') === 'UNKNOWN' &&
      started !== undefined &&
      ctx.nowMs - started <= ctx.config.taskStartupGraceSec * 1000;
    return criterion(
      name,
      false,
      inGrace ? `${seen}: inside the startup grace, health not known yet` : seen,
      inGrace ? 'warn' : 'fail',
    );
  },
};

export const noNewImports: GateRule = {
  name: 'no new broker import (symbol, tags, qty)',
  checks: 'every Broker / reconcile-import-* position, counted by occurrence, was already at the baseline',
  needs: { baseline: true, fields: ['open_positions'] },
  judge: ({ view, baseView }) => {
    const name = 'no new broker import (symbol, tags, qty)';
    const basePositions = baseView?.status?.open_positions;
    if (!basePositions)
      return criterion(name, false, 'the baseline did not report open_positions: nothing to compare with');
    const before = new Set(brokerImportKeys(basePositions));
    const added = brokerImportKeys(view.status!.open_positions!).filter((k) => !before.has(k));
    return criterion(
      name,
      added.length === 0,
      added.length ? `new: ${added.join('; ')}` : `baseline ${[...before].join('; ') || 'none'}`,
    );
  },
};
