// Monitor family: the monitor's own missed runs.
import { finding, type Rule } from './rule';

export const monitorGap: Rule = (ctx, emit) => {
  if (!ctx.inSession || ctx.previousAgeMs === undefined) return;
  const limit = ctx.config.persistMaxGapSec;
  if (ctx.previousAgeMs <= limit * 1000) return;
  const gap = Math.floor(ctx.previousAgeMs / 1000);
  emit.event(
    finding('monitor_gap', {
      severity: 'warn',
      summary: `previous check was ${gap}s ago (${ctx.previousCheckedAt}); runs were missed (max gap ${limit}s)`,
      details: { previous_checked_at: ctx.previousCheckedAt ?? null, gap_sec: gap, max_gap_sec: limit },
    }),
  );
};
