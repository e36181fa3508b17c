// What the synthesized template bills for: counted from its resources, never from a copy of what the
// stack code meant to create. A resource type the table does not know stops the table: it may cost.
import { ENV } from '../../lambda/shared/env-names';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Types with no charge of their own (their usage, where any, is priced from the runs). */
const FREE = new Set([
  'AWS::CDK::Metadata',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::KMS::Alias',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::Events::Rule',
  'AWS::CloudWatch::AlarmMuteRule',
  'AWS::Chatbot::SlackChannelConfiguration',
  'AWS::Logs::LogGroup',
  // EventBridge Scheduler bills invocations only (aws.amazon.com/eventbridge/pricing): a group is free.
  'AWS::Scheduler::ScheduleGroup',
]);

/** Types the table prices (PRICED_BY says from what). */
const PRICED = new Set([
  'AWS::KMS::Key',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::Lambda::Function',
  'AWS::Scheduler::Schedule',
  'AWS::S3::Bucket',
  'AWS::SecretsManager::Secret',
  'AWS::CloudTrail::Trail',
]);

/** KMS rotates a key yearly unless its RotationPeriodInDays says otherwise. */
export const KMS_DEFAULT_ROTATION_DAYS = 365;

export class UnpricedResourceError extends Error {}

export interface TemplateUsage {
  readonly keys: number;
  readonly rotatingKeys: number;
  /** Each rotating key's rotation period in days (KMS's default when the template names none: 365). */
  readonly rotationPeriodsDays: readonly number[];
  readonly alarms: number;
  readonly alarmMetrics: number;
  readonly highResAlarmMetrics: number;
  readonly compositeAlarms: number;
  readonly dashboards: number;
  /** The schedules' cron expressions. */
  readonly crons: readonly string[];
  readonly memoryMb: number;
  /** The metric namespace the monitor emits in (its POWERTOOLS_METRICS_NAMESPACE). */
  readonly namespace: string;
  /** Series an alarm reads in that namespace: `name{dim=value,...}`. */
  readonly alarmSeries: readonly string[];
  readonly runRecordDays: number;
  readonly oldVersionDays: number;
  readonly logRetentionDays: number;
  readonly secrets: number;
  /** Trails that record the state bucket's object-level (data) events. */
  readonly dataEventTrails: number;
}

function resources(template: Json): [string, Json][] {
  return Object.entries(template.Resources ?? {}) as [string, Json][];
}

function seriesOf(stat: Json): string {
  const dims = [...(stat.Dimensions ?? [])]
    .map((d: Json) => `${d.Name}=${d.Value}`)
    .sort()
    .join(',');
  return `${stat.MetricName}{${dims}}`;
}

/** Counts what the template bills; throws on a resource type it does not know. */
export function templateUsage(template: Json): TemplateUsage {
  const all = resources(template);
  for (const [id, r] of all) {
    if (FREE.has(r.Type) || PRICED.has(r.Type) || r.Type.startsWith('Custom::')) continue;
    throw new UnpricedResourceError(
      `${r.Type} (${id}) is not in the cost table: price it in scripts/cost/ or list it as free, with the page that says so`,
    );
  }
  const ofType = (t: string): Json[] => all.filter(([, r]) => r.Type === t).map(([id, r]) => ({ id, ...r }));
  const monitor = ofType('AWS::Lambda::Function').find(
    (f) => f.Properties?.Environment?.Variables?.[ENV.cluster],
  );
  if (!monitor)
    throw new UnpricedResourceError('no monitor function (with AEGIS_PT_CLUSTER) in the template');
  const env = monitor.Properties.Environment.Variables;
  const namespace = String(env.POWERTOOLS_METRICS_NAMESPACE);
  const stateBucket = ofType('AWS::S3::Bucket').find((b) => env[ENV.bucket]?.Ref === b.id);
  const rules: Json[] = stateBucket?.Properties?.LifecycleConfiguration?.Rules ?? [];
  const runRule = rules.find((r) => r.Prefix === 'runs/' && r.ExpirationInDays);
  const versionRule = rules.find((r) => r.NoncurrentVersionExpiration?.NoncurrentDays);
  let alarmMetrics = 0;
  let highRes = 0;
  const alarmSeries = new Set<string>();
  for (const a of ofType('AWS::CloudWatch::Alarm')) {
    const p = a.Properties;
    const stats: Json[] = p.MetricName
      ? [
          {
            Metric: { Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions },
            Period: p.Period,
          },
        ]
      : (p.Metrics ?? []).filter((m: Json) => m.MetricStat).map((m: Json) => m.MetricStat);
    for (const s of stats) {
      if (s.Period < 60) highRes++;
      else alarmMetrics++;
      if (s.Metric.Namespace === namespace) alarmSeries.add(seriesOf(s.Metric));
    }
  }
  const logGroup = ofType('AWS::Logs::LogGroup')[0];
  const rotationPeriodsDays = ofType('AWS::KMS::Key')
    .filter((k) => k.Properties?.EnableKeyRotation)
    .map((k) => Number(k.Properties?.RotationPeriodInDays ?? KMS_DEFAULT_ROTATION_DAYS));
  return {
    keys: ofType('AWS::KMS::Key').length,
    rotatingKeys: rotationPeriodsDays.length,
    rotationPeriodsDays,
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    alarmMetrics,
    highResAlarmMetrics: highRes,
    compositeAlarms: ofType('AWS::CloudWatch::CompositeAlarm').length,
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    crons: ofType('AWS::Scheduler::Schedule').map((s) => String(s.Properties.ScheduleExpression)),
    memoryMb: Number(monitor.Properties.MemorySize ?? 128),
    namespace,
    alarmSeries: [...alarmSeries].sort(),
    runRecordDays: Number(runRule?.ExpirationInDays ?? Infinity),
    oldVersionDays: Number(versionRule?.NoncurrentVersionExpiration?.NoncurrentDays ?? Infinity),
    logRetentionDays: Number(logGroup?.Properties?.RetentionInDays ?? Infinity),
    secrets: ofType('AWS::SecretsManager::Secret').length,
    dataEventTrails: ofType('AWS::CloudTrail::Trail').filter((t) =>
      JSON.stringify(t.Properties?.EventSelectors ?? t.Properties?.AdvancedEventSelectors ?? []).includes(
        'AWS::S3::Object',
      ),
    ).length,
  };
}
