// Log and metrics sinks that write JSON lines to a stream of the caller's choosing: the CLI keeps its
// stdout for results, so the handler's log and metrics go to stderr there.
import type { DetectorOutput, TriggerContext } from '../detector/types';
import type { CheckLogger, MetricsSink } from '../ports';
import { metricPoints } from './metric-points';

export function jsonLinesLogger(write: (line: string) => void): CheckLogger {
  const emit = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    write(JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...extra }) + '\n');
  return { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
}

export class JsonLinesMetrics implements MetricsSink {
  constructor(private readonly write: (line: string) => void) {}

  /** One line per run with the points the Lambda would emit as metrics (the budgeted series). */
  record(output: DetectorOutput, trigger: TriggerContext): void {
    this.write(JSON.stringify({ points: metricPoints(output, trigger), trigger: trigger.trigger }) + '\n');
  }
}
