// The Lambda's (and the live CLI's) environment, read once at start and validated loudly.
import { parseDetectorConfig, type DetectorConfig } from './detector/config';
import { DEFAULT_TIMEOUT_MS } from './adapters/dashboard-http';
import { DEFAULT_PAGE_FLOOR, isLevel, PAGE_FLOORS } from './detector/routing';
import type { Level } from './detector/types';
import { parseCron } from './shared/cron';
import { ENV } from './shared/env-names';
import { ConfigError } from './shared/errors';
import { SERVICE_NAME } from './shared/metric-names';
import {
  DEFAULT_FALLBACK_CRON,
  DEFAULT_PRIMARY_CRON,
  scheduleDefinitions,
  type ScheduleDefinition,
} from './shared/schedules';

/** A runtime environment variable is missing or wrong (exit 2; the message names it). */
export class EnvError extends ConfigError {}

export interface CollectEnv {
  readonly cluster: string;
  readonly service: string;
  readonly dashboardUrl: string;
  readonly dashboardSecretArn?: string;
  readonly dashboardTimeoutMs: number;
  /** The AEGIS_PT_* detector thresholds, parsed once here. */
  readonly detector: DetectorConfig;
}

export interface RuntimeEnv extends CollectEnv {
  readonly bucket: string;
  /** The email topic: every notification, full body. */
  readonly topicArn: string;
  readonly pageTopicArn?: string;
  readonly chatTopicArn?: string;
  readonly pageFloor: Level;
  /** The deployed check schedules; the defaults where the stack set none (an older deploy). */
  readonly schedules: readonly ScheduleDefinition[];
  /** The dead-man's switch outside AWS (adapters/dead-man.ts), when the stack configured one. */
  readonly deadMan?: { readonly url: string; readonly secretArn: string };
  /** The `service` dimension of the metrics this deployment's alarms read (its stack's name). */
  readonly metricsService: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new EnvError(name, 'is required');
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function url(env: Env, name: string): string {
  const value = required(env, name);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EnvError(name, `is not a URL: ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new EnvError(name, `must be an http(s) URL, got ${parsed.protocol}`);
  }
  return value;
}

function cron(env: Env, name: string, fallback: string): string {
  const value = optional(env, name);
  if (value === undefined) return fallback;
  try {
    parseCron(value);
  } catch (err) {
    throw new EnvError(name, (err as Error).message);
  }
  return value;
}

export function readCollectEnv(env: Env): CollectEnv {
  const timeoutText = optional(env, ENV.dashboardTimeoutMs);
  const timeout = timeoutText === undefined ? DEFAULT_TIMEOUT_MS : Number(timeoutText);
  if (!Number.isSafeInteger(timeout) || timeout < 100 || timeout > 60_000) {
    throw new EnvError(
      ENV.dashboardTimeoutMs,
      `must be a whole number of ms from 100 to 60000, got ${JSON.stringify(timeoutText)}`,
    );
  }
  const secret = optional(env, ENV.dashboardSecretArn);
  if (secret !== undefined && !secret.startsWith('arn:')) {
    throw new EnvError(ENV.dashboardSecretArn, 'must be a Secrets Manager ARN');
  }
  const detector = parseDetectorConfig(env); // throws ConfigError naming the variable
  return {
    cluster: required(env, ENV.cluster),
    service: optional(env, ENV.service) ?? 'aegis-pt-core',
    dashboardUrl: url(env, ENV.dashboardUrl),
    ...(secret ? { dashboardSecretArn: secret } : {}),
    dashboardTimeoutMs: timeout,
    detector,
  };
}

export function readRuntimeEnv(env: Env): RuntimeEnv {
  const collect = readCollectEnv(env);
  const topicArn = required(env, ENV.topicArn);
  if (!topicArn.startsWith('arn:')) throw new EnvError(ENV.topicArn, 'must be an SNS topic ARN');
  const routes: { pageTopicArn?: string; chatTopicArn?: string } = {};
  for (const [key, name] of [
    ['pageTopicArn', ENV.pageTopicArn],
    ['chatTopicArn', ENV.chatTopicArn],
  ] as const) {
    const arn = optional(env, name);
    if (arn !== undefined && !arn.startsWith('arn:')) throw new EnvError(name, 'must be an SNS topic ARN');
    if (arn !== undefined) routes[key] = arn;
  }
  const floor = optional(env, ENV.pageFloor) ?? DEFAULT_PAGE_FLOOR;
  if (!isLevel(floor))
    throw new EnvError(
      ENV.pageFloor,
      `must be one of ${PAGE_FLOORS.join(', ')}, got ${JSON.stringify(floor)}`,
    );
  const schedules = scheduleDefinitions(
    cron(env, ENV.primaryCron, DEFAULT_PRIMARY_CRON),
    cron(env, ENV.fallbackCron, DEFAULT_FALLBACK_CRON),
  );
  const deadMan = deadManEnv(env);
  return {
    ...collect,
    bucket: required(env, ENV.bucket),
    topicArn,
    ...routes,
    pageFloor: floor,
    schedules,
    ...(deadMan ? { deadMan } : {}),
    metricsService: optional(env, ENV.metricsService) ?? SERVICE_NAME,
  };
}

/** Both variables or neither; the ping URL is https (the token travels in its path). */
function deadManEnv(env: Env): RuntimeEnv['deadMan'] {
  const urlText = optional(env, ENV.deadManUrl);
  const secretArn = optional(env, ENV.deadManSecretArn);
  if (urlText === undefined && secretArn === undefined) return undefined;
  if (urlText === undefined) throw new EnvError(ENV.deadManUrl, `is required with ${ENV.deadManSecretArn}`);
  if (secretArn === undefined || !secretArn.startsWith('arn:'))
    throw new EnvError(ENV.deadManSecretArn, `must be a Secrets Manager ARN with ${ENV.deadManUrl}`);
  if (!url(env, ENV.deadManUrl).startsWith('https:')) throw new EnvError(ENV.deadManUrl, 'must be https');
  return { url: urlText.replace(/\/+$/, ''), secretArn };
}
