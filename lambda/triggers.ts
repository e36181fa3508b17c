// What invoked the Lambda: a schedule, an ECS event from EventBridge, or a person.
import * as z from 'zod/mini';
import type { TriggerContext } from './detector/types';

const scheduleEvent = z.object({
  trigger: z.enum(['schedule:primary', 'schedule:fallback']),
  execution_id: z.optional(z.unknown()),
  scheduled_time: z.optional(z.unknown()),
  schedule_arn: z.optional(z.unknown()),
  attempt: z.optional(z.unknown()),
});

/** A context attribute the scheduler filled in; a literal `<aws.scheduler.*>` was copied by hand. */
function attribute(v: unknown): string | undefined {
  const s = typeof v === 'number' ? String(v) : str(v);
  return s !== undefined && !s.startsWith('<aws.scheduler.') ? s.slice(0, 200) : undefined;
}

function schedulerContext(e: z.infer<typeof scheduleEvent>): Partial<TriggerContext> {
  const out: Record<string, string> = {};
  for (const k of ['execution_id', 'scheduled_time', 'schedule_arn', 'attempt'] as const) {
    const v = attribute(e[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** What code ran, recorded with every run so a post-deploy proof can tie a run to the new code. */
export interface CodeIdentity {
  readonly code_version?: string;
  readonly function_version?: string;
}
const manualEvent = z.object({ trigger: z.literal('manual'), reason: z.optional(z.string()) });

const ecsEvent = z.object({
  source: z.literal('aws.ecs'),
  'detail-type': z.string(),
  time: z.optional(z.string()),
  resources: z.optional(z.array(z.string())),
  detail: z.record(z.string(), z.unknown()),
});

type EcsEvent = z.infer<typeof ecsEvent>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function taskStopReason(detail: Record<string, unknown>): string {
  const arn = str(detail.taskArn) ?? '';
  const id = arn.slice(arn.lastIndexOf('/') + 1) || '?';
  const containers = Array.isArray(detail.containers) ? (detail.containers as Record<string, unknown>[]) : [];
  const exits = containers
    .filter((c) => typeof c?.exitCode === 'number' || str(c?.reason))
    .map((c) => `${str(c.name) ?? '?'} exit ${c.exitCode ?? '?'}${str(c.reason) ? ` (${c.reason})` : ''}`);
  return [
    `task ${id} ${str(detail.lastStatus) ?? 'STOPPED'}: ${str(detail.stoppedReason) ?? 'no reason given'}`,
    str(detail.stopCode) ? `stopCode ${detail.stopCode}` : undefined,
    exits.length > 0 ? `containers: ${exits.join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}

function ecsReason(event: EcsEvent): string {
  const d = event.detail;
  switch (event['detail-type']) {
    case 'ECS Task State Change':
      return taskStopReason(d);
    case 'ECS Deployment State Change':
      return `${str(d.eventName) ?? 'deployment event'} ${str(d.deploymentId) ?? ''}: ${str(d.reason) ?? 'no reason given'}`.replace(
        '  ',
        ' ',
      );
    case 'ECS Service Action':
      return `${str(d.eventName) ?? 'service action'} (${str(d.eventType) ?? '?'})${str(d.reason) ? `: ${d.reason}` : ''}`;
    default:
      return `${event['detail-type']}`;
  }
}

export interface ParsedTrigger {
  readonly trigger: TriggerContext;
  /** Set when the event was not recognised: the check still runs, as a manual one. */
  readonly warning?: string;
}

export function parseTrigger(event: unknown, code: CodeIdentity = {}): ParsedTrigger {
  const parsed = parseEvent(event);
  return { ...parsed, trigger: { ...parsed.trigger, ...code } };
}

function parseEvent(event: unknown): ParsedTrigger {
  const schedule = scheduleEvent.safeParse(event);
  if (schedule.success)
    return { trigger: { trigger: schedule.data.trigger, ...schedulerContext(schedule.data) } };
  const ecs = ecsEvent.safeParse(event);
  if (ecs.success) {
    return {
      trigger: {
        trigger: 'ecs-event',
        source_event: ecs.data['detail-type'],
        reason: ecsReason(ecs.data),
        ...(ecs.data.resources?.[0] ? { resource: ecs.data.resources[0] } : {}),
        ...(ecs.data.time ? { at: ecs.data.time } : {}),
      },
    };
  }
  const manual = manualEvent.safeParse(event);
  if (manual.success)
    return { trigger: { trigger: 'manual', ...(manual.data.reason ? { reason: manual.data.reason } : {}) } };
  const isEmpty =
    event === undefined || event === null || (typeof event === 'object' && Object.keys(event).length === 0);
  return {
    trigger: { trigger: 'manual' },
    ...(isEmpty
      ? {}
      : {
          warning: `unrecognised invocation event ${JSON.stringify(event).slice(0, 200)}: ran as a manual check`,
        }),
  };
}
