// The ECS event path, measured end to end on moto: an ECS event in (the handler invoked as the
// EventBridge rule invokes it), the alert out (the message in an SQS inbox subscribed to the topic).
// EventBridge's own delivery from ECS to the function is not in it: AWS documents no bound for it.
import { S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { awsDeps } from '../../lambda/aws-deps';
import { readRuntimeEnv } from '../../lambda/env';
import { createHandler } from '../../lambda/handler';
import { startDashboard } from '../../lib/demo/fakes/dashboard-server';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { startMoto, useEmulatorEnv, createBucket } from '../../test/integration/moto-server';
import { worldAt } from './faults';

type Json = Record<string, unknown>;

export interface EventPathResult {
  readonly event: string;
  /** Seconds from the handler's invocation to the message in the inbox, one per trial. */
  readonly seconds: number[];
}

const sharedDir = process.env.AEGIS_SHARED_DIR ?? resolve(process.cwd(), '../shared');
const example = (name: string): Json =>
  JSON.parse(readFileSync(resolve(sharedDir, 'spec/examples/ecs-events', name), 'utf8')) as Json;

/** What ECS shows after each event: the task gone (dashboard down), or the rollout FAILED. */
const CASES: readonly {
  event: string;
  file: string;
  ecs: (healthy: Json) => Json;
  dashboardDown: boolean;
}[] = [
  {
    event: 'task stopped',
    file: 'ecs-task-state-change.stopped.json',
    ecs: (h) => ({ ...h, tasks: [], service: { ...(h.service as Json), runningCount: 0, pendingCount: 1 } }),
    dashboardDown: true,
  },
  {
    event: 'deployment failed',
    file: 'ecs-deployment-state-change.failed.json',
    ecs: (h) => {
      const service = h.service as { deployments: Json[] };
      return {
        ...h,
        service: { ...service, deployments: [{ ...service.deployments[0], rolloutState: 'FAILED' }] },
      };
    },
    dashboardDown: false,
  },
];

export async function measureEventPath(trials: number): Promise<EventPathResult[]> {
  const moto = await startMoto();
  useEmulatorEnv(moto.endpoint);
  const dash = await startDashboard();
  try {
    const sqs = new SQSClient({});
    const sns = new SNSClient({});
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'latency-inbox' }))).QueueUrl!;
    const queueArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'latency-alerts' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
    const drain = async (): Promise<number> => {
      let n = 0;
      for (;;) {
        const res = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (!res.Messages?.length) return n;
        n += res.Messages.length;
      }
    };
    const s3 = new S3Client({ forcePathStyle: true });
    const out: EventPathResult[] = [];
    for (const c of CASES) {
      const seconds: number[] = [];
      for (let i = 0; i < trials; i++) {
        const bucket = `latency-${c.file.split('.')[0].toLowerCase()}-${i}`;
        await createBucket(s3, bucket);
        const env = {
          AEGIS_PT_CLUSTER: 'aegis-pt',
          AEGIS_PT_DASHBOARD_URL: dash.url,
          AEGIS_PT_STATE_BUCKET: bucket,
          AEGIS_PT_TOPIC_ARN: topicArn,
          AWS_ENDPOINT_URL: moto.endpoint,
        };
        const ecs = new ScriptedEcs({});
        const handler = createHandler({
          ...awsDeps(readRuntimeEnv(env), env),
          ecs,
          metrics: { record: () => undefined },
          log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        });
        // A healthy scheduled check first: the event's run has a previous to de-duplicate against.
        const healthy = worldAt(Date.now());
        dash.serve({ kind: 'json', body: 'payload' in healthy.dashboard ? healthy.dashboard.payload : {} });
        ecs.set(healthy.ecs);
        await handler({ trigger: 'schedule:primary' });
        await drain();
        const now = new Date().toISOString();
        const event = { ...example(c.file), time: now };
        ecs.set(c.ecs(healthy.ecs as Json));
        if (c.dashboardDown) dash.serve({ kind: 'status', status: 502 });
        const t0 = performance.now();
        await handler(event);
        while ((await drain()) === 0) {
          if (performance.now() - t0 > 30_000) throw new Error(`${c.event}: no alert within 30 s`);
        }
        seconds.push((performance.now() - t0) / 1000);
      }
      out.push({ event: c.event, seconds });
    }
    return out;
  } finally {
    await dash.close();
    await moto.stop();
  }
}
