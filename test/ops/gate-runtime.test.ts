// Review of issue #21's "of this runtime": a name can be copied from anywhere, so every ARN in the
// observation must agree with the configured service and cluster (and its account and region when the
// cluster is configured as an ARN), the service's tasks must be its own, and a listing must list tasks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/commands/main';
import { captureIo } from '../helpers/cli-io';
import { TASK_ARN } from '../helpers/bundle';
import { failing, judge, newTask, NEW_TASK_ARN, post, pre } from './gate-fixtures';

type Json = Record<string, unknown>;

const OTHER_ACCOUNT = (arn: string) => arn.replace('123456789012', '999999999999');
const OTHER_REGION = (arn: string) => arn.replace('ap-northeast-1', 'eu-west-1');
const CLUSTER_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/aegis-pt';
const SERVICE_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:service/aegis-pt/aegis-pt-core';
const withEcs = (b: Json, change: (ecs: Json) => void): Json => {
  change(b.ecs as Json);
  return b;
};
/** The runtime task (and the heartbeat naming it) moved to another ARN. */
const taskAt = (arn: string) => pre({ task: { taskArn: arn }, status: { runtime_task_arn: arn } });

describe('of this runtime: every ARN agrees with the configured service and cluster', () => {
  it.each<[string, () => Json, RegExp]>([
    [
      'the runtime task in another account (heartbeat naming it too)',
      () => taskAt(OTHER_ACCOUNT(TASK_ARN)),
      /task \S+999999999999\S+ is not in arn:aws:ecs:ap-northeast-1:123456789012/,
    ],
    [
      'the runtime task in another region',
      () => taskAt(OTHER_REGION(TASK_ARN)),
      /is not in arn:aws:ecs:ap-northeast-1/,
    ],
    [
      'the runtime task in another cluster',
      () => taskAt(TASK_ARN.replace('task/aegis-pt/', 'task/aegis-staging/')),
      /is not of the cluster aegis-pt/,
    ],
    [
      'a service ARN of another cluster beside the right clusterArn',
      () =>
        pre({ service: { serviceArn: SERVICE_ARN.replace('service/aegis-pt/', 'service/aegis-staging/') } }),
      /service ARN \S+ is not aegis-pt-core in/,
    ],
    [
      'a service ARN naming another service beside the right serviceName',
      () => pre({ service: { serviceArn: SERVICE_ARN.replace(/aegis-pt-core$/, 'aegis-pt-canary') } }),
      /service ARN \S+ is not aegis-pt-core in/,
    ],
    [
      'service and cluster ARNs of another account beside the tasks of this one',
      () =>
        pre({ service: { serviceArn: OTHER_ACCOUNT(SERVICE_ARN), clusterArn: OTHER_ACCOUNT(CLUSTER_ARN) } }),
      /is not in arn:aws:ecs:ap-northeast-1:999999999999/,
    ],
    [
      'no service ARN',
      () => pre({ service: { serviceArn: undefined } }),
      /service ARN not reported is not an ECS service ARN/,
    ],
    [
      "a task of another service's group",
      () => pre({ task: { group: 'service:aegis-pt-canary' } }),
      /not of the service aegis-pt-core: \S+ group service:aegis-pt-canary/,
    ],
    ['a task whose group is not reported', () => pre({ task: { group: undefined } }), /group not reported/],
    [
      'a stopped task of another account',
      () =>
        pre({
          stopped: [
            { taskArn: OTHER_ACCOUNT(NEW_TASK_ARN), lastStatus: 'STOPPED', group: 'service:aegis-pt-core' },
          ],
        }),
      /is not in arn:aws:ecs:ap-northeast-1:123456789012/,
    ],
    [
      'the tasks listing holding an entry that is not a task',
      () => withEcs(pre(), (e) => (e.tasks as unknown[]).push('arn-of-a-second-task')),
      /ecs.tasks holds 1 entry that are not tasks/,
    ],
    [
      'the cluster listing holding entries that are not tasks',
      () => withEcs(pre(), (e) => (e.cluster_tasks = [null, 7])),
      /ecs.cluster_tasks holds 2 entries that are not tasks/,
    ],
    [
      'the PRIMARY deployment running a task definition of another account',
      () =>
        pre({
          service: {
            deployments: [
              {
                id: 'ecs-svc/1234567890',
                status: 'PRIMARY',
                rolloutState: 'COMPLETED',
                taskDefinition: 'arn:aws:ecs:ap-northeast-1:999999999999:task-definition/aegis-pt-core:41',
                createdAt: '2026-06-01T13:20:00Z',
              },
            ],
          },
        }),
      /task definition \S+999999999999\S+ is not in/,
    ],
  ])('STOP on %s', (_name, observation, seen) => {
    const r = judge(observation());
    expect(r.criteria.find((c) => c.name === 'exactly one AWS runtime task')).toMatchObject({
      outcome: 'fail',
      seen: expect.stringMatching(seen),
    });
    expect(r.verdict).toBe('stop');
  });

  it('STOP on a cluster configured as an ARN of another account or region, GO on its own', () => {
    for (const cluster of [OTHER_ACCOUNT(CLUSTER_ARN), OTHER_REGION(CLUSTER_ARN)]) {
      const r = judge(pre(), { env: { AEGIS_PT_CLUSTER: cluster } });
      expect(r.criteria.find((c) => c.name === 'exactly one AWS runtime task')?.seen).toContain(
        `not the configured ${cluster}`,
      );
      expect(r.verdict).toBe('stop');
    }
    expect(judge(pre(), { env: { AEGIS_PT_CLUSTER: CLUSTER_ARN } }).verdict).toBe('go');
  });

  it("STOP when the service's one task has been told to stop (desired STOPPED), whatever it still reports", () => {
    const r = judge(pre({ task: { desiredStatus: 'STOPPED' } }));
    expect(failing(r)).toEqual(
      expect.arrayContaining(['exactly one AWS runtime task', 'heartbeat from the running task']),
    );
  });

  it('post: STOP when the new task is of another account, though the baseline is this one', () => {
    const foreign = OTHER_ACCOUNT(NEW_TASK_ARN);
    const r = judge(post({ tasks: [newTask({ taskArn: foreign })], status: { runtime_task_arn: foreign } }), {
      baseline: pre(),
    });
    expect(failing(r)).toContain('a new task, started after the deploy');
    expect(r.verdict).toBe('stop');
  });

  it('the complete healthy bundle is still GO: pre, post, and the service ARN alone naming the cluster', () => {
    expect(judge(pre()).verdict).toBe('go');
    expect(judge(post(), { baseline: pre() }).verdict).toBe('go');
    expect(judge(pre({ service: { clusterArn: undefined } })).verdict).toBe('go');
  });

  it('the real CLI: exit 4 STOP on the healthy example with its task moved to another account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-gate-runtime-'));
    const obs = join(dir, 'foreign.json');
    writeFileSync(obs, JSON.stringify(taskAt(OTHER_ACCOUNT(TASK_ARN))));
    const gate = async (file: string) => {
      const io = captureIo({ now: '2026-06-01T14:05:30Z', env: { AEGIS_PT_CLUSTER: 'aegis-pt' } });
      const code = await main(
        ['gate', '--phase', 'pre', '--observation', file, '--out', join(dir, 'o.json')],
        io,
      );
      return { code, out: io.out };
    };
    const stop = await gate(obs);
    expect(stop.out).toMatch(/FAIL {2}exactly one AWS runtime task: no evidence: task \S+999999999999/);
    expect(stop.out).toContain('VERDICT: STOP');
    expect(stop.code).toBe(4);
    const clean = join(dir, 'clean.json');
    writeFileSync(clean, JSON.stringify(pre()));
    expect((await gate(clean)).code).toBe(0);
  });
});
