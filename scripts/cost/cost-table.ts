// The README's cost table, computed from the synthesized template (`npm run docs:cost`): keys, alarms
// and the metrics inside math alarms, dashboards, the schedules' runs a month, and what a day of those
// runs measured on the real check sequence uses (S3 requests and bytes, log bytes, metric series and
// the hours each is sent). test/docs/cost-table.test.ts fails when README and the template disagree.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_DEPLOY_WINDOW_MS } from '../../lambda/detector/silences';
import { firings, parseCron } from '../../lambda/shared/cron';
import { METRIC } from '../../lambda/shared/metric-names';
import type { ScheduleDefinition } from '../../lambda/shared/schedules';
import { createMonitorApp } from '../../lib/stack/monitor-app';
import { writeReadmeFigures } from '../readme-figures';
import { PRICES, type Price } from './prices';
import { measureDay, type DayUsage } from './run-usage';
import { templateUsage, UnpricedResourceError, type TemplateUsage } from './template-usage';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What AWS does not tell ahead: the billed time of one check (the handler waits on the dashboard,
 * ECS, S3 and SNS; bench:handler measures well under a second on loopback). */
export const BILLED_SEC_PER_RUN = 1;
/** Lambda's own START, END and REPORT lines per invocation, about this many bytes in all. */
export const PLATFORM_LOG_BYTES = 330;
/** DeployWindowOpen is sent only while a deploy window is open (never on the measured healthy day):
 * priced as this many windows a month of the longest length, each touching one clock hour more. */
export const DEPLOY_WINDOWS_A_MONTH = 8;
const WINDOW_HOURS = MAX_DEPLOY_WINDOW_MS / 3_600_000 + 1;
const MONTH_DAYS = 365.25 / 12;
const MONTH_HOURS = MONTH_DAYS * 24;
const GB = 1024 ** 3;
const YEARS = [1, 2, 3] as const;

/** The template of cdk.json's example: the default cadence, email only (no SMS). */
export function synthesizedTemplate(root = process.cwd()): Json {
  const context = (JSON.parse(readFileSync(resolve(root, 'cdk.json'), 'utf8')) as { context: Json }).context;
  const { app, stack } = createMonitorApp({
    context: { ...context, alertSms: [], 'aws:cdk:bundling-stacks': [] },
  });
  return app.synth().getStackArtifact(stack.artifactId).template as Json;
}

/** The schedules as the template declares them (cron and trigger from each schedule's input). */
function schedulesOf(template: Json): ScheduleDefinition[] {
  return Object.values<Json>(template.Resources)
    .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
    .map((r) => {
      const trigger = JSON.parse(r.Properties.Target.Input).trigger as ScheduleDefinition['trigger'];
      return {
        name: trigger === 'schedule:primary' ? 'primary' : 'fallback',
        trigger,
        cron: r.Properties.ScheduleExpression,
      };
    });
}

/** Days a month on which the schedules run, and runs a month: counted over a whole year (2027). */
function monthly(definitions: readonly ScheduleDefinition[]): { days: number; runs: number } {
  const from = Date.parse('2027-01-01T00:00:00Z');
  const to = Date.parse('2027-12-31T23:59:59Z');
  const times = definitions.flatMap((d) => firings(parseCron(d.cron), from, to));
  const days = new Set(times.map((t) => Math.floor(t / 86_400_000))).size;
  return { days: days / 12, runs: times.length / 12 };
}

interface Row {
  readonly item: string;
  readonly quantity: string;
  readonly price: Price;
  readonly priceText: string;
  readonly usd: readonly [number, number, number];
}

const same = (usd: number): [number, number, number] => [usd, usd, usd];
const n = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export interface CostTable {
  readonly rows: readonly Row[];
  /** Monthly totals per year, the dashboard among the account's first three (free) or billed. */
  readonly totals: readonly [number, number, number];
  readonly withDashboard: readonly [number, number, number];
  readonly template: TemplateUsage;
  readonly day: DayUsage;
  readonly runsPerMonth: number;
}

export async function costTable(template: Json): Promise<CostTable> {
  const t = templateUsage(template);
  const definitions = schedulesOf(template);
  const day = await measureDay(definitions);
  const emitted = new Set(Object.keys(day.seriesHours));
  const windowOnly = t.alarmSeries.filter((s) => !emitted.has(s) && s.startsWith(`${METRIC.deployWindow}{`));
  const unread = t.alarmSeries.filter((s) => !emitted.has(s) && !windowOnly.includes(s));
  if (unread.length > 0)
    throw new UnpricedResourceError(`an alarm reads series the Lambda never emits: ${unread.join(', ')}`);
  const { days, runs } = monthly(definitions);
  const perDay = (x: number) => x * days;
  const windowHoursMonth = windowOnly.length * DEPLOY_WINDOWS_A_MONTH * WINDOW_HOURS;
  const seriesHoursMonth =
    Object.values(day.seriesHours).reduce((a, h) => a + h, 0) * days + windowHoursMonth;
  const gbSeconds = runs * BILLED_SEC_PER_RUN * (t.memoryMb / 1024);
  const logBytesMonth = perDay(day.logBytes) + runs * PLATFORM_LOG_BYTES;
  const logGbMonth = logBytesMonth / GB;
  const storedMonths = (retentionDays: number, year: number) =>
    Math.min(retentionDays, 365 * year) / MONTH_DAYS;
  const recordGbMonth = perDay(day.recordBytes) / GB;
  const versionGb = (perDay(day.snapshotBytes) / GB) * (Math.min(t.oldVersionDays, 365) / MONTH_DAYS);
  const rows: Row[] = [
    {
      item: 'KMS customer managed keys',
      quantity: `${t.keys} (\`AWS::KMS::Key\`)`,
      price: PRICES.kmsKey,
      priceText: '$1 per key-month',
      usd: same(t.keys * PRICES.kmsKey.usd),
    },
    {
      item: 'KMS key rotations',
      quantity: `${t.rotatingKeys} rotating every ${[...new Set(t.rotationPeriodsDays)].join('/')} days: ${rotationsText(t.rotationPeriodsDays)}`,
      price: PRICES.kmsRotation,
      priceText: '$1 a month for each of the first two rotations',
      usd: ([1, 2, 3] as const).map(
        (y) => billedRotations(t.rotationPeriodsDays, y) * PRICES.kmsRotation.usd,
      ) as [number, number, number],
    },
    {
      item: 'Alarms',
      quantity: `${t.alarms} alarms over ${t.alarmMetrics} metrics (each metric of a math alarm)${t.highResAlarmMetrics ? `, ${t.highResAlarmMetrics} high-resolution` : ''}${t.compositeAlarms ? `, ${t.compositeAlarms} composite` : ''}`,
      price: PRICES.alarmMetric,
      priceText: '$0.10 per alarm metric-month',
      usd: same(
        t.alarmMetrics * PRICES.alarmMetric.usd +
          t.highResAlarmMetrics * PRICES.alarmMetricHighRes.usd +
          t.compositeAlarms * PRICES.compositeAlarm.usd,
      ),
    },
    {
      item: 'Custom metrics (EMF)',
      quantity:
        `${emitted.size} series, each sent ${n((seriesHoursMonth - windowHoursMonth) / emitted.size)} of ${n(MONTH_HOURS)} hours a month` +
        (windowOnly.length
          ? `; ${windowOnly.length} (\`${METRIC.deployWindow}\`) only in deploy windows: ${DEPLOY_WINDOWS_A_MONTH} a month of ${MAX_DEPLOY_WINDOW_MS / 3_600_000} h assumed`
          : ''),
      price: PRICES.customMetric,
      priceText: '$0.30 per metric-month, prorated by the hour',
      usd: same((seriesHoursMonth / MONTH_HOURS) * PRICES.customMetric.usd),
    },
    {
      item: 'Lambda requests',
      quantity: `${n(runs)} scheduled runs a month at the crons`,
      price: PRICES.lambdaRequest,
      priceText: '$0.20 per million',
      usd: same(runs * PRICES.lambdaRequest.usd),
    },
    {
      item: 'Lambda compute',
      quantity: `${n(gbSeconds)} GB-s (${BILLED_SEC_PER_RUN} s billed a run at ${t.memoryMb} MB)`,
      price: PRICES.lambdaArmGbSecond,
      priceText: '$0.0000133334 per GB-s (arm64)',
      usd: same(gbSeconds * PRICES.lambdaArmGbSecond.usd),
    },
    {
      item: 'EventBridge Scheduler',
      quantity: `${n(runs)} invocations`,
      price: PRICES.schedulerInvocation,
      priceText: '$1 per million',
      usd: same(runs * PRICES.schedulerInvocation.usd),
    },
    {
      item: 'S3 PUT and LIST',
      quantity: `${n(perDay(day.puts + day.lists))} a month (${n((day.puts + day.lists) / day.checks, 2)} a run)`,
      price: PRICES.s3Put,
      priceText: '$0.005 per 1,000',
      usd: same(perDay(day.puts + day.lists) * PRICES.s3Put.usd),
    },
    {
      item: 'S3 GET',
      quantity: `${n(perDay(day.gets))} a month (${n(day.gets / day.checks, 2)} a run, the digest's reads included)`,
      price: PRICES.s3Get,
      priceText: '$0.0004 per 1,000',
      usd: same(perDay(day.gets) * PRICES.s3Get.usd),
    },
    {
      item: 'S3 storage',
      quantity: `run records ${n(day.recordBytes / day.checks / 1024, 1)} KB each kept ${t.runRecordDays} days; snapshot versions ${t.oldVersionDays} days`,
      price: PRICES.s3Stored,
      priceText: '$0.023 per GB-month',
      usd: YEARS.map(
        (y) => (recordGbMonth * storedMonths(t.runRecordDays, y) + versionGb) * PRICES.s3Stored.usd,
      ) as [number, number, number],
    },
    {
      item: 'CloudWatch Logs ingested',
      quantity: `${n(logBytesMonth / 1024 ** 2, 1)} MB a month (${n(day.logBytes / day.checks + PLATFORM_LOG_BYTES)} B a run)`,
      price: PRICES.logsIngested,
      priceText: '$0.50 per GB',
      usd: same(logGbMonth * PRICES.logsIngested.usd),
    },
    {
      item: 'CloudWatch Logs stored',
      quantity: `${t.logRetentionDays} days kept (uncompressed, an upper bound)`,
      price: PRICES.logsStored,
      priceText: '$0.03 per GB-month',
      usd: same(logGbMonth * storedMonths(t.logRetentionDays, 1) * PRICES.logsStored.usd),
    },
    ...(t.secrets > 0
      ? [
          {
            item: 'Secrets Manager',
            quantity: `${t.secrets} secrets`,
            price: PRICES.secret,
            priceText: '$0.40 per secret-month',
            usd: same(t.secrets * PRICES.secret.usd),
          },
        ]
      : []),
    ...(t.dataEventTrails > 0
      ? [
          {
            item: 'CloudTrail data events',
            quantity: `the state bucket's object requests, ${t.dataEventTrails} trail(s)`,
            price: PRICES.trailDataEvent,
            priceText: '$0.10 per 100,000',
            usd: same(
              t.dataEventTrails * perDay(day.puts + day.gets + day.lists) * PRICES.trailDataEvent.usd,
            ),
          },
        ]
      : []),
  ];
  const sum = (i: number) => rows.reduce((a, r) => a + r.usd[i], 0);
  const totals = [sum(0), sum(1), sum(2)] as const;
  const dash = t.dashboards * PRICES.dashboard.usd;
  return {
    rows,
    totals,
    withDashboard: [totals[0] + dash, totals[1] + dash, totals[2] + dash],
    template: t,
    day,
    runsPerMonth: runs,
  };
}

const usd = (x: number) => (x === 0 ? '0' : x < 0.005 ? '< 0.01' : x.toFixed(2));

/** Issue #20: under $5 a month at the one-minute default, no SMS, the first three years. */
export const TARGET_USD = 5;

export function costMarkdown(c: CostTable): string {
  const lines = [
    'Computed by `npm run docs:cost` from the template `cdk synth` makes of `cdk.json` (the default',
    'cadence, email only, no SMS) and one weekday of checks at its crons on the real check sequence; list',
    `prices, us-east-1, $ a month, free tiers left out. SMS and the dashboard's Logs Insights queries (paid per GB scanned when someone looks) come on top.`,
    '',
    '| Item | From the template and the runs | Price (source) | Year 1 | Year 2 | Year 3 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...c.rows.map(
      (r) =>
        `| ${r.item} | ${r.quantity} | [${r.priceText}](${r.price.source}) | ${r.usd.map(usd).join(' | ')} |`,
    ),
    `| **Total** | dashboard among the account's first three | | **${c.totals.map(usd).join('** | **')}** |`,
    `| **Total**, the dashboard billed | ${c.template.dashboards} (\`AWS::CloudWatch::Dashboard\`) beyond the account's first three | [$3 per dashboard-month](${PRICES.dashboard.source}) | ${c.withDashboard.map(usd).join(' | ')} |`,
    '',
    `Target under $${TARGET_USD} a month (dashboard among the first three): ` +
      c.totals
        .map(
          (x, i) => `year ${i + 1} ${x <= TARGET_USD ? 'met' : `MISSED by $${(x - TARGET_USD).toFixed(2)}`}`,
        )
        .join(', ') +
      '.',
  ];
  return lines.join('\n');
}

async function main() {
  const table = await costTable(synthesizedTemplate());
  const md = costMarkdown(table);
  console.log(md);
  writeReadmeFigures('cost-table', md);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof UnpricedResourceError ? `cost table: ${err.message}` : err);
    process.exit(1);
  });
}

/** Rotations a year's months are billed for: those done before the year starts, at most two a key. */
export function billedRotations(periodsDays: readonly number[], year: number): number {
  return periodsDays.reduce((n, days) => n + Math.min(2, Math.floor((365 * (year - 1)) / days)), 0);
}

function rotationsText(periodsDays: readonly number[]): string {
  const years = [1, 2, 3].map((y) => billedRotations(periodsDays, y));
  const from = years
    .map((n, i) => (n > (years[i - 1] ?? 0) ? `+${n} from year ${i + 1}` : ''))
    .filter(Boolean);
  return from.length ? from.join(', ') : 'none billed in the first three years';
}
