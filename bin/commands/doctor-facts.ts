// Gathers what `doctor` judges, with read-only calls (plus the probe invocation, which only collects).
// Each SDK client is loaded on first use, so the other commands never pay for them.
import { errorReason } from '../../lambda/adapters/ecs-source';
import type { DoctorFacts, Subscription, Unreadable } from '../../lib/ops/doctor';
import { lastDueWindow } from '../../lib/ops/doctor';
import { OUTPUTS } from '../../lambda/shared/stack-outputs';

export interface FactOptions {
  readonly stackName: string;
  readonly profile?: string;
  readonly nowMs: number;
  readonly s3PathStyle: boolean;
}

async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | Unreadable> {
  try {
    return await fn();
  } catch (err) {
    return { error: `${what}: ${errorReason(err)}` };
  }
}

const missing = (output: string): Unreadable => ({ error: `the stack has no ${output} output` });

/** The stack's status, outputs and schedule expressions; credentials problems propagate (exit 2). */
async function readStack(o: FactOptions, client: object) {
  const cfn = await import('@aws-sdk/client-cloudformation');
  const c = client as InstanceType<typeof cfn.CloudFormationClient>;
  const described = await c.send(new cfn.DescribeStacksCommand({ StackName: o.stackName }));
  const stack = described.Stacks?.[0];
  const outputs: Record<string, string> = {};
  for (const out of stack?.Outputs ?? [])
    if (out.OutputKey && out.OutputValue) outputs[out.OutputKey] = out.OutputValue;
  const schedules = await attempt('GetTemplate', async () => {
    const t = await c.send(
      new cfn.GetTemplateCommand({ StackName: o.stackName, TemplateStage: 'Processed' }),
    );
    const resources =
      (
        JSON.parse(t.TemplateBody ?? '{}') as {
          Resources?: Record<string, { Type: string; Properties?: { ScheduleExpression?: string } }>;
        }
      ).Resources ?? {};
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::Scheduler::Schedule' && r.Properties?.ScheduleExpression)
      .map((r) => r.Properties!.ScheduleExpression!);
  });
  return { status: stack?.StackStatus ?? 'UNKNOWN', outputs, schedules };
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
  // The email topic, and the page (SMS) and chat topics when the stack has them (#11).
  const topicArns = [topicArn, out[OUTPUTS.pageTopic], out[OUTPUTS.chatTopic]].filter(
    (arn): arn is string => !!arn,
  );
  const subscriptions = topicArn
    ? await attempt('ListSubscriptionsByTopic', async () => {
        const subs: Subscription[] = [];
        for (const TopicArn of topicArns) {
          let NextToken: string | undefined;
          do {
            const page = await snsClient.send(
              new sns.ListSubscriptionsByTopicCommand({ TopicArn, NextToken }),
            );
            for (const s of page.Subscriptions ?? [])
              subs.push({
                protocol: s.Protocol ?? '?',
                endpoint: s.Endpoint ?? '?',
                arn: s.SubscriptionArn ?? '?',
              });
            NextToken = page.NextToken;
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
    ? await attempt('FilterLogEvents', async () => {
        const logs = await import('@aws-sdk/client-cloudwatch-logs');
        const client = new logs.CloudWatchLogsClient(cfg);
        let last: { at: string; message: string } | null = null;
        let nextToken: string | undefined;
        let pages = 0;
        do {
          const page = await client.send(
            new logs.FilterLogEventsCommand({
              logGroupName: logGroup,
              startTime: o.nowMs - 86_400_000,
              filterPattern: '?ERROR ?"Task timed out"',
              nextToken,
            }),
          );
          for (const e of page.events ?? [])
            last = { at: new Date(e.timestamp ?? 0).toISOString(), message: (e.message ?? '').trim() };
          nextToken = page.nextToken;
        } while (nextToken && ++pages < 20);
        return last;
      })
    : missing(OUTPUTS.logGroup);
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
    sms,
    schedules,
    lastScheduledRun,
    alarmsInAlarm,
    deadLetters,
    lastError,
    probe,
  };
}
