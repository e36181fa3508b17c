// Review of issue #21's "present" and "of this runtime" for the service's own lists: the ECS reader keeps
// only the entries that are objects, so a deployment or an event of another shape was dropped unread.
// A second deployment (a rollout under way) or a rollback event then vanished behind a listing that
// looked complete: pre GO beside a deployment in progress, post GO with a rollback. Such a listing is
// no evidence (STOP), as a task listing with entries that are not tasks already is.
import { failing, judge, post, pre } from './gate-fixtures';

type Json = Record<string, unknown>;
const service = (b: Json) => (b.ecs as { service: Json }).service;
const withDeployments = (b: Json, extra: unknown[]) => {
  service(b).deployments = [...(service(b).deployments as unknown[]), ...extra];
  return b;
};

describe('gate: the service lists only deployments and events', () => {
  it.each([
    ['null', null],
    ['a string naming a deployment in progress', 'ecs-svc/9999999999 ACTIVE IN_PROGRESS'],
    ['a number', 7],
    ['a list', [{ id: 'ecs-svc/9999999999', status: 'ACTIVE', rolloutState: 'IN_PROGRESS' }]],
  ])('pre: STOP when service.deployments also holds %s', (_name, entry) => {
    const r = judge(withDeployments(pre(), [entry]));
    expect(failing(r)).toContain('exactly one AWS runtime task');
    expect(r.criteria.find((c) => c.name === 'no deployment under way')?.seen).toMatch(
      /ecs\.service\.deployments holds 1 entry that is not an object/,
    );
    expect(r.verdict).toBe('stop');
  });

  it('post: STOP when service.deployments also holds an entry that is not a deployment', () => {
    const r = judge(withDeployments(post(), [7]), { baseline: pre() });
    expect(r.verdict).toBe('stop');
  });

  it.each([
    [
      'an event that is a list',
      [null, ['(service aegis-pt-core) rolling back to deployment ecs-svc/1234567890']],
    ],
    ['events that are not a list', { 0: { message: '(service aegis-pt-core) rolled back' } }],
  ])('post: STOP when service.events holds %s', (_name, events) => {
    const b = post();
    service(b).events = events;
    const r = judge(b, { baseline: pre() });
    expect(r.criteria.find((c) => c.name === 'no rollback')).toBeUndefined();
    expect(r.criteria.find((c) => c.name === 'a new deployment')?.seen).toMatch(
      /ecs\.service\.events (holds|is not a list)/,
    );
    expect(r.verdict).toBe('stop');
  });

  it('GO still when the lists hold only objects (the complete healthy bundle), and without events', () => {
    expect(judge(pre()).verdict).toBe('go');
    expect(judge(post(), { baseline: pre() }).verdict).toBe('go');
    const b = post();
    delete service(b).events;
    expect(judge(b, { baseline: pre() }).verdict).toBe('go');
  });
});
