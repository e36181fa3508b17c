// AWS list prices (us-east-1) the cost table uses, each with the page it comes from. Free tiers are
// left out: they are the account's, and the runtime this monitors uses the same account.
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const S3 = 'https://aws.amazon.com/s3/pricing/';

/** Checked against the pages on 2026-12-05. */
export const PRICES = {
  kmsKey: { usd: 1, unit: 'customer managed key-month', source: KMS },
  kmsRotation: {
    usd: 1,
    unit: 'month for each of the first two rotations of a key (later rotations are free)',
    source: KMS,
  },
  alarmMetric: {
    usd: 0.1,
    unit: 'standard-resolution alarm metric-month (each metric in a math alarm)',
    source: CLOUDWATCH,
  },
  alarmMetricHighRes: { usd: 0.3, unit: 'high-resolution alarm metric-month', source: CLOUDWATCH },
  compositeAlarm: { usd: 0.5, unit: 'composite alarm-month', source: CLOUDWATCH },
  customMetric: {
    usd: 0.3,
    unit: 'custom metric-month, prorated by the hours it is sent',
    source: CLOUDWATCH,
  },
  dashboard: { usd: 3, unit: "dashboard-month beyond the account's first three", source: CLOUDWATCH },
  logsIngested: { usd: 0.5, unit: 'GB of logs ingested', source: CLOUDWATCH },
  logsStored: { usd: 0.03, unit: 'GB-month of logs stored', source: CLOUDWATCH },
  lambdaRequest: { usd: 0.2 / 1e6, unit: 'request', source: LAMBDA },
  lambdaArmGbSecond: { usd: 0.0000133334, unit: 'GB-second on arm64', source: LAMBDA },
  schedulerInvocation: {
    usd: 1 / 1e6,
    unit: 'scheduled invocation',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  s3Put: { usd: 0.005 / 1000, unit: 'PUT, COPY, POST or LIST request', source: S3 },
  s3Get: { usd: 0.0004 / 1000, unit: 'GET request', source: S3 },
  s3Stored: { usd: 0.023, unit: 'GB-month in S3 Standard', source: S3 },
  secret: { usd: 0.4, unit: 'secret-month', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  trailDataEvent: {
    usd: 0.1 / 100_000,
    unit: 'CloudTrail data event',
    source: 'https://aws.amazon.com/cloudtrail/pricing/',
  },
} as const satisfies Record<string, Price>;
