// The app's configuration from CDK context, read once in bin/app.ts and validated here into typed,
// readonly props. Every error names the context key.
import { CONFIG_VARIABLES, parseDetectorConfig, type DetectorConfig } from '../../lambda/detector/config';
import { ContextError } from './context-error';
import { parseSecretArn, type SecretRef } from './secret-arn';
import { TASK_IP as TASK_IP_PLACEHOLDER } from '../../lambda/adapters/task-dashboard';
import { parseCron } from '../../lambda/shared/cron';
import { livenessShape, quietWindows, weeklyFirings } from '../../lambda/shared/quiet-windows';
import type { ScheduleDefinition } from '../../lambda/shared/schedules';
import { DEFAULT_PAGE_FLOOR, isLevel, PAGE_FLOORS } from '../../lambda/detector/routing';
import type { Level } from '../../lambda/detector/types';
import {
  CADENCE_NAMES,
  CADENCES,
  DEFAULT_CADENCE,
  scheduleDefinitions,
  type CadenceName,
} from '../../lambda/shared/schedules';

export { ContextError };

export interface VpcPlacement {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

export interface MonitorConfig {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly dashboardUrl: string;
  /**
   * The Secrets Manager secret holding the dashboard's bearer token, with the IAM resource that
   * matches it (secret-arn.ts).
   * @default - no token: the dashboard is read without an Authorization header
   */
  readonly dashboardSecret?: SecretRef;
  /**
   * The customer managed KMS key of that secret, when it is not under aws/secretsmanager.
   * @default - the secret is under the AWS managed key; no kms:Decrypt grant
   */
  readonly dashboardSecretKmsKeyArn?: string;
  readonly alertEmails: readonly string[];
  readonly alertSms: readonly string[];
  /**
   * Run the Lambda in these subnets of the runtime's VPC (private dashboards, task discovery).
   * @default - outside any VPC (the dashboard must be https)
   */
  readonly vpc?: VpcPlacement;
  /**
   * The named cadence the crons come from (`1m`, or `5m`: the runbook's interleave).
   * @default '1m'
   */
  readonly cadence: CadenceName;
  /** The primary schedule's cron (UTC): the cadence's, unless `primaryCron` overrides it. */
  readonly primaryCron: string;
  /** The fallback schedule's cron (UTC): the cadence's, unless `fallbackCron` overrides it. */
  readonly fallbackCron: string;
  /** The AEGIS_PT_* settings as given, for the Lambda's environment. */
  readonly thresholds: Readonly<Record<string, string>>;
  /** The same settings parsed (defaults filled in), for values the stack derives from them. */
  readonly detector: DetectorConfig;
  readonly containerInsights: boolean;
  /** Minutes of "not exactly one running task" before the running-tasks alarm pages. */
  readonly runningTaskAlarmMinutes: number;
  /** The account's SNS monthly SMS spend limit (USD); the SMS spend alarm fires before it. */
  readonly smsSpendLimitUsd: number;
  /** The lowest level that pages (SMS): escalate, critical (default) or warn. */
  readonly pageFloor: Level;
  /**
   * Slack through Chatbot, when both IDs are given.
   * @default - no chat channel: the chat topic has no subscriber
   */
  readonly slack?: SlackTarget;
  /**
   * IAM roles (or users) of the operators: the only principals besides the monitor that may read the
   * state bucket (positions and PnL at rest) and the only ones that may write silences. `*` and `?`
   * match within an ARN (SSO role names carry a random suffix).
   */
  readonly operatorRoleArns: readonly string[];
  /** Principals that may read the state bucket but never write to it (auditors, read-only on-call). */
  readonly readerRoleArns: readonly string[];
  /**
   * The dead-man's switch outside AWS: a Healthchecks.io-style ping URL and the secret with the
   * check's token (adapters/dead-man.ts).
   * @default - no switch: every lane lives in this account and region
   */
  readonly deadMan?: DeadManTarget;
}

export interface DeadManTarget {
  /** https, without the token: the Lambda pings `<url>/<token>[/start|/fail]`. */
  readonly url: string;
  readonly secret: SecretRef;
}

export interface SlackTarget {
  readonly slackWorkspaceId: string;
  readonly slackChannelId: string;
}

export const DEFAULT_RUNNING_TASK_ALARM_MIN = 10;
const MAX_RUNNING_TASK_ALARM_MIN = 60;

/**
 * The longest gap between consecutive scheduled runs within a session, in minutes: gaps the liveness
 * alarm would breach on are the nights and breaks it is muted in, not part of the session.
 * @param definitions the deployed check schedules
 */
export function longestSessionGapMin(definitions: readonly ScheduleDefinition[]): number {
  const runs = weeklyFirings(definitions);
  const { detectionMin } = livenessShape(definitions);
  let longest = 0;
  runs.forEach((a, i) => {
    const gap = (i + 1 < runs.length ? runs[i + 1] : runs[0] + 7 * 1440) - a;
    if (gap < detectionMin) longest = Math.max(longest, gap);
  });
  return longest;
}

export const CONTEXT_KEYS = [
  'clusterName',
  'serviceName',
  'dashboardUrl',
  'dashboardSecretArn',
  'dashboardSecretArnComplete',
  'dashboardSecretKmsKeyArn',
  'alertEmails',
  'alertSms',
  'vpcId',
  'subnetIds',
  'securityGroupIds',
  'cadence',
  'primaryCron',
  'fallbackCron',
  'thresholds',
  'containerInsights',
  'runningTaskAlarmMinutes',
  'smsSpendLimitUsd',
  'pageFloor',
  'slackWorkspaceId',
  'slackChannelId',
  'operatorRoleArns',
  'readerRoleArns',
  'deadManPingUrl',
  'deadManSecretArn',
  'deadManSecretArnComplete',
] as const;

type Raw = Readonly<Record<string, unknown>>;

function text(raw: Raw, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ContextError(key, `must be a string, got ${JSON.stringify(v)}`);
  return v.trim();
}

/** A list from context: a JSON array (cdk.json) or a comma-separated string (`-c key=a,b`). */
function list(raw: Raw, key: string): string[] {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return [];
  let items: unknown = v;
  if (typeof v === 'string') {
    try {
      items = v.trim().startsWith('[') ? JSON.parse(v) : v.split(',');
    } catch (err) {
      throw new ContextError(key, `is not a valid JSON list: ${(err as Error).message}`);
    }
  }
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'string')) {
    throw new ContextError(key, 'must be a list of strings (JSON array or comma-separated)');
  }
  return items.map((i: string) => i.trim()).filter((i) => i !== '');
}

function matching(key: string, values: string[], re: RegExp, what: string): string[] {
  for (const v of values) if (!re.test(v)) throw new ContextError(key, `${JSON.stringify(v)} is not ${what}`);
  return values;
}

function cron(raw: Raw, key: string, fallback: string): string {
  const value = text(raw, key) ?? fallback;
  try {
    parseCron(value);
  } catch (err) {
    throw new ContextError(key, (err as Error).message);
  }
  return value;
}

function cadence(raw: Raw): CadenceName {
  const value = text(raw, 'cadence') ?? DEFAULT_CADENCE;
  if (!(CADENCE_NAMES as string[]).includes(value))
    throw new ContextError(
      'cadence',
      `must be one of ${CADENCE_NAMES.join(', ')}, got ${JSON.stringify(value)}`,
    );
  return value as CadenceName;
}

/**
 * The crons: the cadence's pair, each overridable on its own. The liveness alarm's shape and mute
 * rules are derived from both crons together; say which key to fix.
 */
function schedulePair(raw: Raw): { cadence: CadenceName; primaryCron: string; fallbackCron: string } {
  const named = cadence(raw);
  const primaryCron = cron(raw, 'primaryCron', CADENCES[named].primary);
  const fallbackCron = cron(raw, 'fallbackCron', CADENCES[named].fallback);
  const [primary, fallback] = scheduleDefinitions(primaryCron, fallbackCron);
  for (const [key, def] of [
    ['primaryCron', primary],
    ['fallbackCron', fallback],
  ] as const) {
    try {
      quietWindows([def]);
    } catch (err) {
      if (!/never fire|gaps of|liveness alarm would need/.test((err as Error).message))
        throw new ContextError(key, (err as Error).message);
    }
  }
  try {
    quietWindows([primary, fallback]);
  } catch (err) {
    throw new ContextError('primaryCron', `with fallbackCron: ${(err as Error).message}`);
  }
  return { cadence: named, primaryCron, fallbackCron };
}

function thresholds(raw: Raw): { thresholds: Record<string, string>; detector: DetectorConfig } {
  let v = raw.thresholds;
  if (v === undefined || v === null || v === '') return { thresholds: {}, detector: parseDetectorConfig() };
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new ContextError('thresholds', 'must be a JSON object of AEGIS_PT_* settings');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ContextError('thresholds', 'must be an object of AEGIS_PT_* settings');
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(v)) {
    if (!CONFIG_VARIABLES.includes(name)) throw new ContextError('thresholds', `unknown setting ${name}`);
    out[name] = String(value);
  }
  try {
    return { thresholds: out, detector: parseDetectorConfig(out) };
  } catch (err) {
    throw new ContextError('thresholds', (err as Error).message);
  }
}

function bool(raw: Raw, key: string): boolean {
  const v = raw[key];
  if (v === undefined || v === null || v === '' || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw new ContextError(key, `must be true or false, got ${JSON.stringify(v)}`);
}

function vpc(raw: Raw): VpcPlacement | undefined {
  const vpcId = text(raw, 'vpcId');
  const subnetIds = matching('subnetIds', list(raw, 'subnetIds'), /^subnet-[0-9a-f]{8,17}$/, 'a subnet ID');
  const securityGroupIds = matching(
    'securityGroupIds',
    list(raw, 'securityGroupIds'),
    /^sg-[0-9a-f]{8,17}$/,
    'a security group ID',
  );
  if (!vpcId) {
    if (subnetIds.length || securityGroupIds.length)
      throw new ContextError('vpcId', 'is required with subnetIds and securityGroupIds');
    return undefined;
  }
  if (!/^vpc-[0-9a-f]{8,17}$/.test(vpcId))
    throw new ContextError('vpcId', `${JSON.stringify(vpcId)} is not a VPC ID`);
  if (subnetIds.length === 0) throw new ContextError('subnetIds', 'needs at least one subnet with vpcId');
  if (securityGroupIds.length === 0)
    throw new ContextError('securityGroupIds', 'needs at least one security group with vpcId');
  return { vpcId, subnetIds, securityGroupIds };
}

/**
 * https always; plain http only from inside the VPC, where the dashboard is a private address that
 * never crosses the internet. `{taskIp}` names the running task's private address, so it needs the VPC.
 */
function dashboard(raw: Raw, inVpc: boolean): string {
  const dashboardUrl = text(raw, 'dashboardUrl');
  if (!dashboardUrl) throw new ContextError('dashboardUrl', 'is required (https base URL of the dashboard)');
  let url: URL;
  try {
    url = new URL(dashboardUrl);
  } catch {
    throw new ContextError('dashboardUrl', `${JSON.stringify(dashboardUrl)} is not a URL`);
  }
  const discovery = dashboardUrl.includes(TASK_IP_PLACEHOLDER);
  if (discovery && url.hostname !== TASK_IP_PLACEHOLDER.toLowerCase())
    throw new ContextError(
      'dashboardUrl',
      `${TASK_IP_PLACEHOLDER} must be the whole host, e.g. http://{taskIp}:8080`,
    );
  if (/[{}]/.test(dashboardUrl.replace(TASK_IP_PLACEHOLDER, '')))
    throw new ContextError('dashboardUrl', `the only placeholder is ${TASK_IP_PLACEHOLDER}`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ContextError('dashboardUrl', `must be https, got ${url.protocol}`);
  if (!inVpc && discovery)
    throw new ContextError(
      'dashboardUrl',
      `${TASK_IP_PLACEHOLDER} is the task's private address: it needs the Lambda in the VPC (vpcId, subnetIds, securityGroupIds)`,
    );
  if (!inVpc && url.protocol === 'http:')
    throw new ContextError(
      'dashboardUrl',
      'must be https, got http: (plain http is allowed only with the Lambda in the VPC: vpcId, subnetIds, securityGroupIds)',
    );
  return dashboardUrl;
}

/** RFC 2606 / 6761 names that never receive mail: `cdk.json`'s example uses them. */
const RESERVED_MAIL_DOMAIN = /(\.|@)(example|test|invalid|localhost)$|@example\.(com|net|org)$/i;

/** True when every destination is a reserved example address: a stack that notifies nobody. */
export function onlyExampleDestinations(config: Pick<MonitorConfig, 'alertEmails' | 'alertSms'>): boolean {
  return config.alertSms.length === 0 && config.alertEmails.every((e) => RESERVED_MAIL_DOMAIN.test(e));
}

/** The dashboard token's secret: a full ARN, or a partial one where its shape allows (secret-arn.ts). */
function secretArn(raw: Raw): SecretRef | undefined {
  const secret = text(raw, 'dashboardSecretArn');
  if (secret === undefined) return undefined;
  return parseSecretArn('dashboardSecretArn', secret, bool(raw, 'dashboardSecretArnComplete'));
}

function secretKmsKeyArn(raw: Raw, secret: SecretRef | undefined): string | undefined {
  const key = text(raw, 'dashboardSecretKmsKeyArn');
  if (key === undefined) return undefined;
  if (secret === undefined) throw new ContextError('dashboardSecretKmsKeyArn', 'needs dashboardSecretArn');
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/.test(key)) {
    throw new ContextError(
      'dashboardSecretKmsKeyArn',
      `${JSON.stringify(key)} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; an alias cannot be granted)`,
    );
  }
  return key;
}

/**
 * The running-tasks alarm's minutes. A deploy window holds the alarm off through the runs inside it
 * (DeployWindowOpen), so the alarm must need more consecutive minutes than the longest gap between
 * scheduled runs in the session, or a gap could let it page in the middle of an approved deploy.
 */
function runningTaskMinutes(raw: Raw): number {
  const v = raw.runningTaskAlarmMinutes;
  const n = v === undefined || v === null || v === '' ? DEFAULT_RUNNING_TASK_ALARM_MIN : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RUNNING_TASK_ALARM_MIN)
    throw new ContextError(
      'runningTaskAlarmMinutes',
      `must be a whole number of minutes from 1 to ${MAX_RUNNING_TASK_ALARM_MIN}, got ${JSON.stringify(v)}`,
    );
  const { primaryCron, fallbackCron } = schedulePair(raw);
  const gap = longestSessionGapMin(scheduleDefinitions(primaryCron, fallbackCron));
  if (n < gap)
    throw new ContextError(
      'runningTaskAlarmMinutes',
      `is ${n}, shorter than the longest gap between scheduled checks in the session (${gap} minutes): ` +
        'a deploy window could not hold the alarm through it',
    );
  return n;
}

function smsSpendLimit(raw: Raw): number {
  const v = raw.smsSpendLimitUsd;
  if (v === undefined || v === null || v === '') return 1; // SNS's default for a new account
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw new ContextError('smsSpendLimitUsd', `must be a positive number of USD, got ${JSON.stringify(v)}`);
  return n;
}

function pageFloor(raw: Raw): Level {
  const v = text(raw, 'pageFloor') ?? DEFAULT_PAGE_FLOOR;
  if (!isLevel(v))
    throw new ContextError('pageFloor', `must be one of ${PAGE_FLOORS.join(', ')}, got ${JSON.stringify(v)}`);
  return v;
}

function slack(raw: Raw): SlackTarget | undefined {
  const slackWorkspaceId = text(raw, 'slackWorkspaceId');
  const slackChannelId = text(raw, 'slackChannelId');
  if (!slackWorkspaceId && !slackChannelId) return undefined;
  if (!slackWorkspaceId) throw new ContextError('slackWorkspaceId', 'is required with slackChannelId');
  if (!slackChannelId) throw new ContextError('slackChannelId', 'is required with slackWorkspaceId');
  matching(
    'slackWorkspaceId',
    [slackWorkspaceId],
    /^T[A-Z0-9]{6,20}$/,
    'a Slack workspace (team) ID like T0123ABCD',
  );
  matching('slackChannelId', [slackChannelId], /^[CG][A-Z0-9]{6,20}$/, 'a Slack channel ID like C0123ABCD');
  return { slackWorkspaceId, slackChannelId };
}

/**
 * Validates the CDK context into the monitor's configuration, defaults filled in.
 * @param raw the context values by key (cdk.json and `-c key=value`)
 * @returns the typed, readonly configuration
 * @throws ContextError naming the first key that is missing or wrong
 */
export function parseMonitorConfig(raw: Raw): MonitorConfig {
  const clusterName = text(raw, 'clusterName');
  if (!clusterName) throw new ContextError('clusterName', 'is required (the ECS cluster of the runtime)');
  matching('clusterName', [clusterName], /^[A-Za-z0-9_-]{1,255}$/, 'an ECS cluster name');
  const serviceName = text(raw, 'serviceName') ?? 'aegis-pt-core';
  matching('serviceName', [serviceName], /^[A-Za-z0-9_-]{1,255}$/, 'an ECS service name');
  const secret = secretArn(raw);
  const secretKey = secretKmsKeyArn(raw, secret);
  const placement = vpc(raw);
  const dashboardUrl = dashboard(raw, placement !== undefined);
  const alertEmails = matching(
    'alertEmails',
    list(raw, 'alertEmails'),
    /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    'an email address',
  );
  const alertSms = matching(
    'alertSms',
    list(raw, 'alertSms'),
    /^\+[1-9]\d{1,14}$/,
    'an E.164 phone number (+ and up to 15 digits)',
  );
  const chat = slack(raw);
  if (alertEmails.length + alertSms.length === 0 && !chat)
    throw new ContextError(
      'alertEmails',
      'no destination at all: set alertEmails or alertSms, or nobody is told',
    );
  return {
    clusterName,
    serviceName,
    dashboardUrl,
    ...(secret ? { dashboardSecret: secret } : {}),
    ...(secretKey ? { dashboardSecretKmsKeyArn: secretKey } : {}),
    alertEmails,
    alertSms,
    ...(placement ? { vpc: placement } : {}),
    ...schedulePair(raw),
    ...thresholds(raw),
    containerInsights: bool(raw, 'containerInsights'),
    runningTaskAlarmMinutes: runningTaskMinutes(raw),
    smsSpendLimitUsd: smsSpendLimit(raw),
    pageFloor: pageFloor(raw),
    ...(chat ? { slack: chat } : {}),
    ...stateReaders(raw),
    ...deadMan(raw),
  };
}

/** Both keys or neither; the URL is https and carries no token (that is the secret's). */
function deadMan(raw: Raw): { deadMan?: DeadManTarget } {
  const url = text(raw, 'deadManPingUrl');
  const arn = text(raw, 'deadManSecretArn');
  if (url === undefined && arn === undefined) return {};
  if (url === undefined) throw new ContextError('deadManPingUrl', 'is required with deadManSecretArn');
  if (arn === undefined)
    throw new ContextError('deadManSecretArn', "is required with deadManPingUrl (the check's token)");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ContextError('deadManPingUrl', `${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'https:')
    throw new ContextError('deadManPingUrl', `must be https, got ${parsed.protocol}`);
  if (parsed.search || parsed.hash || parsed.username || parsed.password)
    throw new ContextError(
      'deadManPingUrl',
      'must be a base URL such as https://hc-ping.com: the token goes in the secret',
    );
  if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(parsed.pathname))
    throw new ContextError(
      'deadManPingUrl',
      "holds a check's UUID: put the UUID in the secret (deadManSecretArn) and give the base URL only, so the token stays out of the template",
    );
  return {
    deadMan: {
      url: url.replace(/\/+$/, ''),
      secret: parseSecretArn('deadManSecretArn', arn, bool(raw, 'deadManSecretArnComplete')),
    },
  };
}

/**
 * The bucket policy restricts reads only once operators are named (state-access.ts); readers named
 * alone would read as a restriction that is not there, so that is a configuration error.
 */
function stateReaders(raw: Raw): { operatorRoleArns: string[]; readerRoleArns: string[] } {
  const operatorRoleArns = principalArns(raw, 'operatorRoleArns');
  const readerRoleArns = principalArns(raw, 'readerRoleArns');
  if (readerRoleArns.length > 0 && operatorRoleArns.length === 0)
    throw new ContextError(
      'readerRoleArns',
      'needs operatorRoleArns: without named operators the run records stay readable by anyone the account allows',
    );
  return { operatorRoleArns, readerRoleArns };
}

/** IAM role or user ARNs, with `*`/`?` allowed in the name (matched with ArnLike). */
function principalArns(raw: Raw, key: string): string[] {
  return matching(
    key,
    list(raw, key),
    /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/*?-]+$/,
    'an IAM role or user ARN (arn:aws:iam::<account>:role/<name>; * and ? may stand for part of the name)',
  );
}
