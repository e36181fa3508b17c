// The runbook's decision from the open events (contract section 4).
import type { Decision, DetectorEvent } from './types';

export function decide(events: readonly DetectorEvent[]): { decision: Decision; reason: string } {
  const escalating = events.filter((e) => e.escalate);
  if (escalating.length > 0) {
    return {
      decision: 'escalate',
      reason: `stop and escalate: ${escalating.map((e) => e.code).join(', ')}`,
    };
  }
  if (events.length > 0) {
    const critical = events.filter((e) => e.severity === 'critical').length;
    return {
      decision: 'notify',
      reason: `${events.length} open event(s) (${critical} critical, ${events.length - critical} warn): ${events.map((e) => e.code).join(', ')}`,
    };
  }
  return { decision: 'observe', reason: 'no open events: keep observing' };
}
