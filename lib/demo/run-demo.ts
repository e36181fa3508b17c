// The demo: the real handler through the scripted session, on local parts only (a dashboard on
// loopback, a scripted ECS observation, a directory store with the bucket's layout, a console notifier),
// then `gap`, `snapshot` and the session report over its own run records.
import { mkdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleNotifier } from '../../lambda/adapters/console-notifier';
import { AUDIENCES, type Audience } from '../../lambda/detector/audiences';
import type { Notifier } from '../../lambda/ports';
import { HttpDashboard } from '../../lambda/adapters/dashboard-http';
import { FsStore } from '../../lambda/adapters/fs-store';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { sessionOn } from '../../lambda/detector/market-clock';
import { formatEt } from '../../lambda/detector/time';
import { createHandler } from '../../lambda/handler';
import { startDashboard } from './fakes/dashboard-server';
import { ScriptedEcs } from './fakes/static-sources';
import { JsonLinesMetrics, jsonLinesLogger } from '../../lambda/adapters/stream-sinks';
import { checkGaps, formatGapReport, GAP_GRACE_MINUTES } from '../ops/gap';
import { renderReport } from '../ops/report';
import { renderSnapshot } from '../ops/snapshot';
import { DEMO_DATE, DEMO_DEPLOY, DEMO_SCHEDULES, demoSession, type DemoStep } from './session-script';
import { bundleAt, formatGate, postGate, preGate } from './deploy-gates';
import type { Silence } from '../../lambda/detector/silences';
import type { ObservationBundle } from '../../lambda/detector/types';

export interface DemoResult {
  readonly runs: number;
  /** Alerts told (new and resolved events) to email, not counting announcements or digests. */
  readonly notifications: number;
  /** Alerts told per audience. */
  readonly told: Readonly<Record<Audience, number>>;
  /** Silence announcements (started, ended, refused). */
  readonly announcements: number;
  readonly digests: number;
  readonly reportPath: string;
  readonly snapshotPath: string;
  readonly missingWindows: number;
  /** The pre and post gate reports of the approved deploy, as `gate` prints them. */
  readonly gates: readonly string[];
}

function indent(command: string, report: { verdict: string }, window?: Silence): string {
  const w = window
    ? window.expired_at
      ? `; window ${window.id} closed ${window.expired_at}`
      : `; window ${window.id} open until ${window.ends_at}`
    : '';
  return `          ${command}: ${report.verdict.toUpperCase()}${w}\n`;
}

export async function runDemo(dir: string, write: (text: string) => void): Promise<DemoResult> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dashboard = await startDashboard();
  // Notifications are held until the step's summary line is printed, so each reads under its cause.
  // Every audience is routed, as in a deployment with page and chat topics: the check decides what
  // each is due exactly as the Lambda does, and the records say who was told.
  let held = '';
  const alerts = new ConsoleNotifier((text) => {
    held += text;
  }, AUDIENCES);
  // The daily digest goes out after the post-close proof is due; the demo prints it last.
  let digestText = '';
  const digests = new ConsoleNotifier((text) => {
    digestText += text;
  }, AUDIENCES);
  // Silence announcements print under the check that made them, like alerts, and are counted apart.
  const announcements = new ConsoleNotifier((text) => {
    held += text;
  }, AUDIENCES);
  const notifier: Notifier = {
    audiences: AUDIENCES,
    publish: (a, m) =>
      (m.severity === 'DIGEST' ? digests : m.severity === 'SILENCE' ? announcements : alerts).publish(a, m),
  };
  const ecs = new ScriptedEcs({});
  const clock = { at: '' };
  const logFile = join(dir, 'handler.log.jsonl');
  const metricsFile = join(dir, 'metrics.jsonl');
  const store = new FsStore(dir);
  const handler = createHandler({
    dashboard: new HttpDashboard({ baseUrl: dashboard.url, timeoutMs: 2000 }),
    ecs,
    store,
    markers: store,
    handoffs: store,
    silences: store,
    notifier,
    metrics: new JsonLinesMetrics((line) => appendFileSync(metricsFile, line)),
    clock: { now: () => new Date(clock.at) },
    config: DEFAULT_CONFIG,
    schedules: DEMO_SCHEDULES,
    log: jsonLinesLogger((line) => appendFileSync(logFile, line)),
  });
  write(`aegis-pt-health demo: the scripted session of ${DEMO_DATE}, compressed; state under ${dir}/\n`);
  write(
    `dashboard on ${dashboard.url}, ECS scripted in-process, notifications printed as SNS would deliver them\n\n`,
  );
  let runs = 0;
  let last: DemoStep | undefined;
  let lastLabel: string | undefined;
  let baseline: ObservationBundle | undefined;
  let window: Silence | undefined;
  const gates: string[] = [];
  // The operator runs `gate` between checks, on what the last check saw, at the scripted time.
  const gateDue = async (at: string) => {
    if (!last) return;
    if (!baseline && at > DEMO_DEPLOY.preGateAt) {
      baseline = bundleAt(last, DEMO_DEPLOY.preGateAt);
      const pre = await preGate(store, baseline, DEMO_DEPLOY.windowMs);
      window = pre.window;
      gates.push(formatGate(pre.report));
      write(indent(`gate --phase pre --window ${DEMO_DEPLOY.window}`, pre.report, window));
    } else if (baseline && gates.length === 1 && at > DEMO_DEPLOY.postGateAt) {
      const post = await postGate(
        store,
        bundleAt(last, DEMO_DEPLOY.postGateAt),
        baseline,
        window,
        Date.parse(DEMO_DEPLOY.startedAt),
      );
      gates.push(formatGate(post.report));
      write(indent('gate --phase post', post.report, post.closed));
    }
  };
  try {
    for (const step of demoSession()) {
      await gateDue(step.at);
      clock.at = step.at;
      dashboard.serve(
        'http' in step.dashboard
          ? { kind: 'status', status: step.dashboard.http }
          : { kind: 'json', body: step.dashboard.status_v3 },
      );
      ecs.set(step.ecs);
      const result = await handler(step.event);
      runs++;
      last = step;
      const announced = /^Subject: SILENCE \S+: (.*)$/m.exec(held)?.[1];
      const label =
        result.digest === 'sent'
          ? 'the post-close proof is due: daily digest (printed last)'
          : announced !== undefined
            ? `silence announcement: ${announced}`
            : step.label;
      // One line per noteworthy check, so ~650 checks read as a page: a phase's first check, every
      // notification and announcement, every ECS event.
      const noteworthy =
        (label !== undefined && label !== lastLabel) || result.notified || announced !== undefined;
      lastLabel = label;
      if (noteworthy || result.trigger === 'ecs-event') {
        const et = formatEt(Date.parse(step.at)).slice(11, 16);
        write(
          `${et} ET  ${result.trigger.padEnd(17)} ${result.decision.padEnd(8)} ${label ?? ''}${result.notified ? '  -> notified' : ''}\n`,
        );
      }
      write(held);
      held = '';
    }
  } finally {
    await dashboard.close();
  }

  const from = Date.parse(`${DEMO_DATE}T00:00:00Z`);
  const to = Date.parse(`${DEMO_DATE}T23:59:59Z`);
  const listing = await store.listRuns({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
  // The demo's day is in the past: this machine's clock dates its records as runs that happened.
  const gap = checkGaps(listing.records, DEMO_SCHEDULES, from, to, GAP_GRACE_MINUTES, Date.now());
  write(`\n${formatGapReport(gap)}\n`);

  const latest = await store.readLatest();
  const snapshotPath = join(dir, `snapshot-${DEMO_DATE}.md`);
  if (latest.snapshot && last && 'status_v3' in last.dashboard) {
    writeFileSync(
      snapshotPath,
      renderSnapshot(
        { now: last.at, status_v3: last.dashboard.status_v3, ecs: last.ecs },
        { output: latest.snapshot.output, gap },
      ) + '\n',
    );
  }
  const reportPath = join(dir, `report-${DEMO_DATE}.html`);
  writeFileSync(
    reportPath,
    renderReport({
      date: DEMO_DATE,
      session: sessionOn(DEMO_DATE),
      openGraceMinute: DEFAULT_CONFIG.openGraceMinute,
      records: listing.records,
      gap,
      generated: { at: new Date().toISOString(), from: `${dir} (the demo's run records)` },
      silences: (await store.readSilences()).silences as Silence[],
    }),
  );
  write(
    `\n${runs} checks, ${alerts.sentTo('email').length} notifications (${AUDIENCES.map((a) => `${a} ${alerts.sentTo(a).length}`).join(', ')}); snapshot ${snapshotPath}; session report ${reportPath}\n`,
  );
  write(`\nThe daily digest (email and chat, never the pager):\n${digestText}`);
  return {
    runs,
    notifications: alerts.sentTo('email').length,
    told: Object.fromEntries(AUDIENCES.map((a) => [a, alerts.sentTo(a).length])) as Record<Audience, number>,
    announcements: announcements.sentTo('email').length,
    digests: digests.sentTo('email').length,
    reportPath,
    snapshotPath,
    missingWindows: gap.missing_windows.length,
    gates,
  };
}
