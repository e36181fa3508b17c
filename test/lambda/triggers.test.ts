import { parseTrigger } from '../../lambda/triggers';
import { readSharedJson } from '../helpers/shared';

const event = (name: string) => readSharedJson(`spec/examples/ecs-events/${name}`);

describe('parseTrigger', () => {
  it.each(['schedule:primary', 'schedule:fallback'])('recognises the %s schedule payload', (trigger) => {
    expect(parseTrigger({ trigger })).toEqual({ trigger: { trigger } });
  });

  it('keeps the scheduler context attributes and the code identity of the run', () => {
    const parsed = parseTrigger(
      {
        trigger: 'schedule:primary',
        execution_id: 'd32c5kddcf5bb8c3',
        scheduled_time: '2026-06-01T14:07:00Z',
        schedule_arn: 'arn:aws:scheduler:ap-northeast-1:123456789012:schedule/default/Primary',
        attempt: '1',
      },
      { code_version: 'abc123', function_version: '$LATEST' },
    );
    expect(parsed).toEqual({
      trigger: {
        trigger: 'schedule:primary',
        execution_id: 'd32c5kddcf5bb8c3',
        scheduled_time: '2026-06-01T14:07:00Z',
        schedule_arn: 'arn:aws:scheduler:ap-northeast-1:123456789012:schedule/default/Primary',
        attempt: '1',
        code_version: 'abc123',
        function_version: '$LATEST',
      },
    });
  });

  it('drops placeholders copied by hand and values of the wrong type: no execution id, no scheduled run', () => {
    const { trigger } = parseTrigger({
      trigger: 'schedule:primary',
      execution_id: '<aws.scheduler.execution-id>',
      scheduled_time: { not: 'a time' },
      attempt: 2,
    });
    expect(trigger).toEqual({ trigger: 'schedule:primary', attempt: '2' });
  });

  it('carries a stopped task event and its reason', () => {
    const { trigger, warning } = parseTrigger(event('ecs-task-state-change.stopped.json'));
    expect(warning).toBeUndefined();
    expect(trigger).toMatchObject({
      trigger: 'ecs-event',
      source_event: 'ECS Task State Change',
      at: '2026-06-01T13:41:07Z',
      resource: 'arn:aws:ecs:ap-northeast-1:123456789012:task/aegis-pt/6f1c2d3e4b5a49788d0e1f2a3b4c5d6e',
    });
    expect(trigger.reason).toBe(
      'task 6f1c2d3e4b5a49788d0e1f2a3b4c5d6e STOPPED: Essential container in task exited; stopCode EssentialContainerExited; containers: lt-ibkr-trader exit 1',
    );
  });

  it('carries a failed deployment and its reason', () => {
    const { trigger } = parseTrigger(event('ecs-deployment-state-change.failed.json'));
    expect(trigger).toMatchObject({ trigger: 'ecs-event', source_event: 'ECS Deployment State Change' });
    expect(trigger.reason).toBe(
      'SERVICE_DEPLOYMENT_FAILED ecs-svc/3338924548445373932: ECS deployment circuit breaker: task failed to start.',
    );
  });

  it('carries a service action', () => {
    const { trigger } = parseTrigger(event('ecs-service-action.task-start-impaired.json'));
    expect(trigger).toMatchObject({ trigger: 'ecs-event', reason: 'SERVICE_TASK_START_IMPAIRED (WARN)' });
  });

  it('treats {} and a manual payload as a manual run', () => {
    expect(parseTrigger({})).toEqual({ trigger: { trigger: 'manual' } });
    expect(parseTrigger({ trigger: 'manual', reason: 'after deploy' })).toEqual({
      trigger: { trigger: 'manual', reason: 'after deploy' },
    });
  });

  it('still runs on an unrecognised event, as manual with a warning', () => {
    const parsed = parseTrigger({ trigger: 'schedule:weekly' });
    expect(parsed.trigger).toEqual({ trigger: 'manual' });
    expect(parsed.warning).toMatch(/unrecognised invocation event/);
    expect(parseTrigger('text').warning).toMatch(/unrecognised/);
  });
});
