// Gathers what `doctor` judges, with read-only calls (plus the probe invocation, which only collects).
// Each SDK client is loaded on first use, so the other commands never pay for them.
import { errorReason } from '../../lambda/adapters/ecs-source';
import type { DoctorFacts, Subscription, TopicRef, Unreadable } from '../../lib/ops/doctor';
import { lastDueWindow } from '../../lib/ops/doctor';
import { OUTPUTS } from '../../lambda/shared/stack-outputs';
import { DEAD_MAN_LOG_MESSAGE } from '../../lambda/adapters/dead-man';
import { parseDeadManPing, type DeadManFact } from '../../lib/ops/dead-man-line';

export interface FactOptions {
  readonly stackName: string;
  readonly profile?: string;
  readonly nowMs: number;
  readonly s3PathStyle: boolean;
}

const unreadable = (v: unknown): v is Unreadable => typeof v === 'object' && v !== null && 'error' in v;

async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | Unreadable> {
  try {
    return await fn();
  } catch (err) {
    return { error: `${what}: ${errorReason(err)}` };
  }
}

/** Each topic doctor lists subscriptions of, by the audience it serves. */
const TOPIC_OUTPUTS: readonly (readonly [TopicRef['label'], string])[] = [
  ['email', OUTPUTS.topic],
  ['page', OUTPUTS.pageTopic],
  ['chat', OUTPUTS.chatTopic],
  ['health', OUTPUTS.healthTopic],
];

const missing = (output: string): Unreadable => ({ error: `the stack has no ${output} output` });

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: {
    readonly ScheduleExpression?: string;
    readonly Protocol?: string;
    readonly Endpoint?: string;
    readonly TopicArn?: unknown;
  };
}

/** The subscriptions the deployment asked for (alertEmails, alertSms), each with its topic's logical id. */
function configuredIn(resources: Record<string, TemplateResource>) {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::SNS::Subscription' && r.Properties?.Endpoint && r.Properties.Protocol)
    .map((r) => {
      const ref = (r.Properties?.TopicArn as { Ref?: unknown } | undefined)?.Ref;
      return {
        protocol: r.Properties!.Protocol!,
        endpoint: r.Properties!.Endpoint!,
        ...(typeof ref === 'string' ? { topicId: ref } : {}),
      };
    });
}

/** The stack's status, outputs and schedule expressions; credentials problems propagate (exit 2). */
async function readStack(o: FactOptions, client: object) {
  const cfn = await import('@aws-sdk/client-cloudformation');
  const c = client as InstanceType<typeof cfn.CloudFormationClient>;
  const described = await c.send(new cfn.DescribeStacksCommand({ StackName: o.stackName }));
  const stack = described.Stacks?.[0];
  const outputs: Record<string, string> = {};
  for (const out of stack?.Outputs ?? [])
    if (out.OutputKey && out.OutputValue) outputs[out.OutputKey] = out.OutputValue;
  const template = await attempt('GetTemplate', async () => {
    const t = await c.send(
      new cfn.GetTemplateCommand({ StackName: o.stackName, TemplateStage: 'Processed' }),
    );
    return (
      (JSON.parse(t.TemplateBody ?? '{}') as { Resources?: Record<string, TemplateResource> }).Resources ?? {}
    );
  });
  const schedules = unreadable(template)
    ? template
    : Object.values(template)
        .filter((r) => r.Type === 'AWS::Scheduler::Schedule' && r.Properties?.ScheduleExpression)
        .map((r) => r.Properties!.ScheduleExpression!);
  const configured = unreadable(template)
    ? template
    : await attempt('ListStackResources', async () => {
        const wanted = configuredIn(template);
        if (wanted.length === 0) return [];
        // A Ref to a topic is its ARN: the stack's resources map each logical id to it.
        const arns: Record<string, string> = {};
        let NextToken: string | undefined;
        do {
          const page = await c.send(new cfn.ListStackResourcesCommand({ StackName: o.stackName, NextToken }));
          for (const r of page?.StackResourceSummaries ?? [])
            if (r.ResourceType === 'AWS::SNS::Topic' && r.PhysicalResourceId)
              arns[r.LogicalResourceId ?? ''] = r.PhysicalResourceId;
          NextToken = page?.NextToken;
        } while (NextToken);
        return wanted.map(({ topicId, ...w }) => ({
          ...w,
          ...(topicId && arns[topicId] ? { topicArn: arns[topicId] } : {}),
        }));
      });
  return { status: stack?.StackStatus ?? 'UNKNOWN', outputs, schedules, configured };
}

export async function gatherFacts(o: FactOptions): Promise<DoctorFacts> {
  const cfg = o.profile ? { profile: o.profile } : {};
  const cfn = await import('@aws-sdk/client-cloudformation');
  let stack: Awaited<ReturnType<typeof readStack>>;
  try {
    stack = await readStack(o, new cfn.CloudFormationClient(cfg));
  } catch (err) {
    const e = err as { name?: string; message?: string };
    // A missing stack is the doctor's finding; anything else (credentials, network) is not.
    if (e.name === 'ValidationError' && /does not exist/.test(e.message ?? '')) {
      const gone: Unreadable = { error: `stack ${o.stackName} does not exist` };
      return {
        stack: gone,
        subscriptions: gone,
        configured: gone,
        sms: gone,
        schedules: gone,
        lastScheduledRun: gone,
        alarmsInAlarm: gone,
        deadLetters: gone,
        lastError: gone,
        probe: gone,
      };
    }
    throw err;
  }
  const out = stack.outputs;
  const sns = await import('@aws-sdk/client-sns');
  const snsClient = new sns.SNSClient(cfg);
  const topicArn = out[OUTPUTS.topic];
  // The email topic, the page (SMS) and chat topics when the stack has them, and the health topic:
  // each distinct topic once, named by its audience.
  const topics: TopicRef[] = [];
  for (const [label, key] of TOPIC_OUTPUTS)
    if (out[key] && !topics.some((t) => t.arn === out[key])) topics.push({ label, arn: out[key] });
  const subscriptions = topicArn
    ? await attempt('ListSubscriptionsByTopic', async () => {
        const subs: Subscription[] = [];
        for (const { label, arn: TopicArn } of topics) {
          let NextToken: string | undefined;
          do {
            const page = await snsClient.send(
              new sns.ListSubscriptionsByTopicCommand({ TopicArn, NextToken }),
            );
            for (const s of page?.Subscriptions ?? [])
              subs.push({
                protocol: s.Protocol ?? '?',
                endpoint: s.Endpoint ?? '?',
                arn: s.SubscriptionArn ?? '?',
                topic: label,
                topicArn: TopicArn,
              });
            NextToken = page?.NextToken;
          } while (NextToken);
        }
        return subs;
      })
    : missing(OUTPUTS.topic);
  const sms = await attempt('SMS sandbox', async () => {
    const status = await snsClient.send(new sns.GetSMSSandboxAccountStatusCommand({}));
    const verified: string[] = [];
    let NextToken: string | undefined;
    if (status.IsInSandbox)
      do {
        const page = await snsClient.send(new sns.ListSMSSandboxPhoneNumbersCommand({ NextToken }));
        for (const p of page.PhoneNumbers ?? [])
          if (p.Status === 'Verified' && p.PhoneNumber) verified.push(p.PhoneNumber);
        NextToken = page.NextToken;
      } while (NextToken);
    return { inSandbox: status.IsInSandbox === true, verified };
  });
  const bucket = out[OUTPUTS.bucket];
  const schedules = stack.schedules;
  const lastScheduledRun = !bucket
    ? missing(OUTPUTS.bucket)
    : 'error' in schedules
      ? schedules
      : await attempt('run records', async () => {
          const due = lastDueWindow(schedules, o.nowMs);
          if (due === undefined) return { checkedAt: null };
          const [{ S3Client }, { S3Store }] = await Promise.all([
            import('@aws-sdk/client-s3'),
            import('../../lambda/adapters/s3-store'),
          ]);
          const store = new S3Store({
            client: new S3Client({ ...cfg, forcePathStyle: o.s3PathStyle }),
            bucket,
          });
          const { records, skipped } = await store.listRuns({
            from: new Date(due - 86_400_000).toISOString(),
            to: new Date(o.nowMs).toISOString(),
          });
          const scheduled = records.filter((r) => r.trigger?.trigger?.startsWith('schedule:'));
          const newest = scheduled.at(-1);
          if (newest) return { checkedAt: newest.checked_at, trigger: newest.trigger.trigger };
          if (skipped.length > 0)
            throw new Error(
              `${skipped.length} unreadable run record(s), e.g. ${skipped[0].key}: ${skipped[0].reason}`,
            );
          return { checkedAt: null };
        });
  const alarmsInAlarm = await attempt('DescribeAlarms', async () => {
    const cw = await import('@aws-sdk/client-cloudwatch');
    const client = new cw.CloudWatchClient(cfg);
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      // CloudFormation names the stack's alarms "<stack>-<logical id>-<suffix>".
      const page = await client.send(
        new cw.DescribeAlarmsCommand({ AlarmNamePrefix: `${o.stackName}-`, StateValue: 'ALARM', NextToken }),
      );
      for (const a of page.MetricAlarms ?? []) names.push(`${a.AlarmName} (${a.StateReason ?? 'ALARM'})`);
      NextToken = page.NextToken;
    } while (NextToken);
    return names;
  });
  const dlqUrl = out[OUTPUTS.deadLetters];
  const deadLetters = dlqUrl
    ? await attempt('GetQueueAttributes', async () => {
        const sqs = await import('@aws-sdk/client-sqs');
        const a = await new sqs.SQSClient(cfg).send(
          new sqs.GetQueueAttributesCommand({
            QueueUrl: dlqUrl,
            AttributeNames: ['ApproximateNumberOfMessages'],
          }),
        );
        return Number(a.Attributes?.ApproximateNumberOfMessages ?? 0);
      })
    : missing(OUTPUTS.deadLetters);
  const logGroup = out[OUTPUTS.logGroup];
  const lastError = logGroup
    ? await attempt('FilterLogEvents', () =>
        newestLogEvent(cfg, logGroup, o.nowMs, '?ERROR ?"Task timed out"', (at, message) => ({
          at,
          message: message.trim(),
        })),
      )
    : missing(OUTPUTS.logGroup);
  // The dead-man's switch: the newest ping the Lambda logged (it logs each one; never the token).
  const deadMan: DeadManFact = !out[OUTPUTS.deadManPingUrl]
    ? 'not configured'
    : !logGroup
      ? missing(OUTPUTS.logGroup)
      : await attempt('FilterLogEvents (dead-man ping)', () =>
          newestLogEvent(cfg, logGroup, o.nowMs, `"${DEAD_MAN_LOG_MESSAGE}"`, parseDeadManPing),
        );
  const fn = out[OUTPUTS.function];
  const probe = fn
    ? await attempt('probe invocation', async () => {
        const lambda = await import('@aws-sdk/client-lambda');
        const r = await new lambda.LambdaClient(cfg).send(
          new lambda.InvokeCommand({
            FunctionName: fn,
            Payload: new TextEncoder().encode('{"trigger":"probe"}'),
          }),
        );
        const text = new TextDecoder().decode(r.Payload ?? new Uint8Array());
        if (r.FunctionError)
          throw new Error(`the function failed (${r.FunctionError}): ${text.slice(0, 300)}`);
        const body = JSON.parse(text) as {
          probe?: boolean;
          dashboard?: { ok: boolean; detail: string };
          ecs?: { ok: boolean; detail: string };
        };
        if (body.probe !== true || !body.dashboard || !body.ecs)
          throw new Error(`not a probe answer (an older deployment?): ${text.slice(0, 200)}`);
        return { dashboard: body.dashboard, ecs: body.ecs };
      })
    : missing(OUTPUTS.function);
  return {
    stack: { name: o.stackName, status: stack.status },
    subscriptions,
    configured: stack.configured,
    topics,
    sms,
    schedules,
    lastScheduledRun,
    alarmsInAlarm,
    deadLetters,
    lastError,
    probe,
    deadMan,
  };
}

/** The last of the past day's log events matching a filter, mapped (at most 20 pages are read). */
async function newestLogEvent<T>(
  cfg: { profile?: string },
  logGroup: string,
  nowMs: number,
  filterPattern: string,
  map: (at: string, message: string) => T,
): Promise<T | null> {
  const logs = await import('@aws-sdk/client-cloudwatch-logs');
  const client = new logs.CloudWatchLogsClient(cfg);
  let last: T | null = null;
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(
      new logs.FilterLogEventsCommand({
        logGroupName: logGroup,
        startTime: nowMs - 86_400_000,
        filterPattern,
        nextToken,
      }),
    );
    for (const e of page.events ?? []) last = map(new Date(e.timestamp ?? 0).toISOString(), e.message ?? '');
    nextToken = page.nextToken;
  } while (nextToken && ++pages < 20);
  return last;
}
