// The demo end to end, and its session report in a real browser (Debian's Chromium).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { main } from '../../bin/commands/main';
import { FsStore } from '../../lambda/adapters/fs-store';
import { runDemo, type DemoResult } from '../../lib/demo/run-demo';
import { launchChromium } from '../helpers/browser';
import { captureIo } from '../helpers/cli-io';

jest.setTimeout(120_000);

let dir: string;
let printed = '';
let result: DemoResult;
let browser: Browser;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'aegis-demo-')), '.demo');
  result = await runDemo(dir, (t) => {
    printed += t;
  });
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** Distinct event episodes in the run records, counted independently of the report code. */
async function episodesInRecords(): Promise<number> {
  const { records } = await new FsStore(dir).listRuns({
    from: '2026-06-01T00:00:00Z',
    to: '2026-06-02T00:00:00Z',
  });
  return new Set(records.flatMap((r) => r.events.map((e) => `${e.signature}@${e.first_seen_at}`))).size;
}

describe('npm run demo', () => {
  it('runs every check of the scripted session and covers every schedule window', () => {
    expect(result).toMatchObject({ runs: 651, missingWindows: 0 });
    // A check every minute (540) and the fallback every 5 (108), 13:00-21:59 UTC, plus three ECS events.
    expect(printed).toContain('Expected windows: 648, covered: 648, missing: 0');
  });

  it('alerts once per condition, escalates the stuck exit, and tells each recovery', () => {
    const subjects = [...printed.matchAll(/^Subject: (.*)$/gm)].map((m) => m[1]);
    expect(subjects).toEqual([
      'WARN aegis-pt 1 new: pending_order_buildup -> notify',
      'RESOLVED aegis-pt 1 resolved: pending_order_buildup -> observe',
      'CRITICAL aegis-pt 3 new: pending_exits,stuck_exits,unknown_fill -> escalate',
      'CRITICAL aegis-pt 1 new: pending_exits -> escalate',
      'RESOLVED aegis-pt 3 resolved: pending_exits,stuck_exits,unknown_fill -> observe',
      'CRITICAL 4 new: ecs_primary_count,gateway_unhealthy,trader_not_running,dashboard_unreachable',
      'RESOLVED 4 resolved: ecs_primary_count,gateway_unhealthy,trader_not_running,dashboard_unreachable',
      // The approved deploy's window is announced when it opens and when it is closed (issue #22).
      'SILENCE aegis-pt: 1 started',
      'SILENCE aegis-pt: 1 ended',
      'DIGEST aegis-pt 2026-06-01: 544 checks, 7 alerts, 0 open, 0 missed, proof ok',
    ]);
    // Seven alerts and the two silence notices, counted apart.
    expect(result.notifications).toBe(7);
    expect(result.announcements).toBe(2);
    expect(printed).toMatch(/14:28 ET {2}schedule:primary {2}observe {2}silence announcement: 1 started\n/);
    // The TWS disconnect, the isolated 10197 and the 202 entry order raise nothing.
    expect(printed).toMatch(/10:03 ET {2}ecs-event {9}observe {2}TWS disconnect/);
    expect(printed).toMatch(/10:17 ET {2}schedule:primary {2}observe {2}one normal entry order\n/);
  });

  it('ends with one daily digest, sent by the first check after the post-close proof is due', () => {
    expect(result.digests).toBe(1);
    expect(printed).toMatch(
      /16:30 ET {2}schedule:primary {2}observe {2}the post-close proof is due: daily digest/,
    );
    const digest = printed.slice(printed.indexOf('The daily digest (email and chat, never the pager):'));
    // The digest is routed to email and chat; the page route never takes it.
    expect(digest).toContain('----- chat: ');
    expect(digest).not.toContain('----- page');
    expect(digest).toContain('Checks run: 544 (schedule:primary 451, schedule:fallback 90, ecs-event 3)');
    expect(digest).toContain('Notifications sent: 7 (CRITICAL 3, WARN 1, RESOLVED 3)');
    expect(digest).toMatch(
      /stuck_exits \[CRITICAL, ESCALATE\]: first 12:07 ET, last 12:21 ET, resolved 12:22 ET/,
    );
    expect(digest).toContain('position reconciliation OK matched=8 internal_count=8 broker_count=8');
    expect(digest).toContain('Tue 2026-06-02 09:30-16:00 ET');
    expect(digest).toContain('aegis-pt-health report --date 2026-06-01');
  });

  it('routes each audience as the Lambda does, and its records say which audiences were routed', async () => {
    const { records } = await new FsStore(dir).listRuns({
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-02T00:00:00Z',
    });
    for (const r of records) expect(r.routed).toEqual(['page', 'email', 'chat']);
    const told = (audience: string) =>
      records.flatMap((r) =>
        (r.notifications ?? []).filter(
          (n) => n.kind === 'alert' && n.audience === audience && n.outcome === 'told',
        ),
      );
    expect(told('email')).toHaveLength(7);
    expect(told('chat')).toHaveLength(7);
    // The pager takes what reaches its floor (critical), and the recovery of what it was told.
    expect(told('page').map((n) => n.subject)).toEqual([
      'CRITICAL aegis-pt 2 new: stuck_exits,unknown_fill -> escalate',
      'CRITICAL aegis-pt 1 new: pending_exits -> escalate',
      'RESOLVED aegis-pt 3 resolved: stuck_exits,unknown_fill,pending_exits -> observe',
      'CRITICAL 4 new: ecs_primary_count,gateway_unhealthy,trader_not_running,dashboard_unreachable',
      'RESOLVED 4 resolved: ecs_primary_count,gateway_unhealthy,trader_not_running,dashboard_unreachable',
    ]);
    expect(result.told).toEqual({ page: 5, email: 7, chat: 7 });
    const digest = printed.slice(printed.indexOf('The daily digest (email and chat, never the pager):'));
    expect(digest).toContain('per audience: email 7, chat 7, page 5');
    expect(digest).not.toContain('----- page');
  });

  it('writes the snapshot with its decision line', () => {
    const snapshot = readFileSync(result.snapshotPath, 'utf8');
    expect(snapshot).toContain('## Schedule coverage');
    expect(snapshot.trimEnd().split('\n').at(-1)).toBe('DECISION: observe (no open events: keep observing)');
  });
});

describe('the session report in Chromium', () => {
  it('renders the charts, one marker per event, decisions and coverage, with no external request', async () => {
    const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) external.push(req.url());
    });
    await page.goto(pathToFileURL(result.reportPath).href);
    expect(await page.locator('svg.chart').count()).toBe(6);
    for (const chart of ['heartbeat', 'orders', 'market-data', 'ecs']) {
      const d = await page.locator(`svg[data-chart="${chart}"] path.series`).first().getAttribute('d');
      expect(d?.length).toBeGreaterThan(100);
    }
    expect(await page.locator('.event-marker').count()).toBe(await episodesInRecords());
    expect(await page.locator('.event-marker[data-severity="critical"]').count()).toBe(13);
    expect(await page.locator('.run-tick').count()).toBe(651);
    // The deploy window is shaded behind every chart, and its six events are hollow, marked silenced.
    const windowId = /window (w-\S+) open until/.exec(printed)?.[1] as string;
    expect(await page.locator(`rect.silence-deploy-window[data-silence-id="${windowId}"]`).count()).toBe(6);
    const band = (await page.locator('svg[data-chart="events"] rect.silence-window').boundingBox())!;
    expect(band.width).toBeGreaterThan(5);
    const silenced = page.locator(`.event-marker.silenced[data-silenced-by="${windowId}"]`);
    expect(await silenced.count()).toBe(6);
    for (const marker of await silenced.all()) {
      const dot = (await marker.locator('circle').boundingBox())!;
      expect(dot.x + dot.width / 2).toBeGreaterThanOrEqual(band.x - 1);
      expect(dot.x + dot.width / 2).toBeLessThanOrEqual(band.x + band.width + 1);
    }
    expect(await page.locator('.event-marker:not(.silenced)[data-silenced-by]').count()).toBe(0);
    expect(await page.locator('span.silenced-by').count()).toBe(6);
    expect(await page.locator('.window-covered').count()).toBe(648);
    expect(await page.locator('.mark-open, .mark-close, .mark-open-grace').count()).toBe(6 * 3);
    const box = await page.locator('svg[data-chart="events"]').boundingBox();
    expect(box?.width).toBeGreaterThan(1000);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).length).toBeGreaterThan(20_000);
    expect(external).toEqual([]);
    await page.close();
  });

  it('is what `aegis-pt-health report --runs-dir` writes from the same records', async () => {
    const out = join(dir, 'cli-report.html');
    const io = captureIo({ now: '2026-06-02T12:00:00Z' });
    expect(await main(['report', '--runs-dir', dir, '--date', '2026-06-01', '--out', out], io)).toBe(0);
    expect(io.out).toBe(`wrote ${out}: 651 runs, 648/648 windows covered\n`);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(out).href);
    expect(await page.locator('.event-marker').count()).toBe(await episodesInRecords());
    await page.close();
  });

  it('highlights missing windows, and exits 4 saying there are no run records for that date', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'aegis-empty-'));
    const out = join(empty, 'r.html');
    const io = captureIo({ now: '2026-06-03T00:00:00Z' });
    expect(await main(['report', '--runs-dir', empty, '--date', '2026-06-02', '--out', out], io)).toBe(4);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(out).href);
    const missing = await page.locator('li.missing').count();
    expect(io.err).toBe(
      `no run records for 2026-06-02 in ${empty}: nothing was checked that day (the page shows ${missing} schedule window(s) missing)\n`,
    );
    expect(await page.locator('.window-missing').count()).toBe(648);
    expect(missing).toBe(648);
    expect(await page.locator('.event-marker').count()).toBe(0);
    await page.close();
  });
});

describe('the session report for the on-call person (Chromium)', () => {
  async function open(width: number) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(pathToFileURL(result.reportPath).href);
    return page;
  }

  it('explains its marks, lists each notification with its reason and audience, and the info items', async () => {
    const page = await open(1180);
    const legend = page.locator('[data-legend]');
    for (const cls of ['run-observe', 'run-notify', 'run-escalate', 'warn', 'critical', 'escalate'])
      expect(await legend.locator(`.legend-${cls}`).count()).toBe(1);
    expect(await legend.innerText()).toContain('black ring: stop and escalate');

    // One row per message the demo printed: alerts, the silence notices, and the daily digest's own row
    // (run records say who was told).
    const rows = page.locator('tr.notification.notification-kind-alert');
    expect(await rows.count()).toBe(7);
    expect(await page.locator('tr.notification.notification-kind-silence').count()).toBe(2);
    expect(await rows.count()).toBe(result.notifications);
    expect(result.announcements).toBe(2);
    expect(await page.locator('tr.notification.notification-kind-digest').count()).toBe(1);
    const first = await rows.first().innerText();
    expect(first).toMatch(/11:07 ET\s+00:07 JST/);
    expect(first).toContain('warn pending_order_buildup');
    expect(first).toContain('1 open event(s) (0 critical, 1 warn): pending_order_buildup');
    expect(first).not.toContain('all subscribers');
    const escalation = await page.locator('tr.notification-escalate').first().innerText();
    expect(escalation).toContain('stop and escalate: stuck_exits, unknown_fill');
    expect(escalation).toContain('critical ESCALATE stuck_exits');

    const info = page.locator('tr.info-item');
    // Two isolated notices, 09:37 and 09:42 ET, with checks in between that saw none.
    const notices = page.locator('tr.info-item[data-code="market_data_notice"]');
    expect(await notices.count()).toBe(2);
    expect(await notices.first().innerText()).toMatch(/09:37 ET.*22:37 JST/s);
    expect(await page.locator('tr.info-item[data-code="task_replaced"]').count()).toBe(2);
    expect(await info.count()).toBeGreaterThanOrEqual(4);

    expect(await page.locator('.generated').innerText()).toMatch(
      /^Generated \d{4}-\d\d-\d\dT.* by aegis-pt-health report from 651 run record\(s\) in .*\.demo/,
    );
    for (const where of ['top', 'bottom']) {
      const axis = page.locator(`svg[data-axis="${where}"]`);
      expect(await axis.locator('text.jst').count()).toBeGreaterThan(8);
    }
    const runs = await page.locator('svg[data-chart="runs"]').boundingBox();
    const bottom = await page.locator('svg[data-axis="bottom"]').boundingBox();
    expect(bottom!.y).toBeGreaterThan(runs!.y + runs!.height - 1);
    await page.close();
  });

  it('keeps a series drawn under another visible (pending_exits under stuck_exits)', async () => {
    const page = await open(1180);
    const style = (name: string) =>
      page.locator(`svg[data-chart="orders"] path.series[data-series="${name}"]`).evaluate((el) => {
        // The page's own window: this test's tsconfig has no DOM types.
        const win = globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> };
        const css = win.getComputedStyle(el);
        return { width: parseFloat(css.strokeWidth), dash: css.strokeDasharray };
      });
    const [orders, exits, stuck] = [
      await style('pending_orders'),
      await style('pending_exits'),
      await style('stuck_exits'),
    ];
    // Each later (upper) line is narrower and dashed, so the one beneath shows around it.
    expect(orders.width).toBeGreaterThan(exits.width);
    expect(exits.width).toBeGreaterThan(stuck.width * 1.5);
    expect(stuck.dash).not.toBe('none');
    await page.close();
  });

  it('is readable at 700 px without losing the afternoon', async () => {
    const page = await open(700);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(700);
    for (const chart of ['heartbeat', 'orders', 'events', 'runs']) {
      const box = (await page.locator(`svg[data-chart="${chart}"]`).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(700);
      const close = (await page.locator(`svg[data-chart="${chart}"] .mark-close`).boundingBox())!;
      expect(close.x).toBeLessThan(700);
    }
    const lastTick = page.locator('svg[data-chart="runs"] .run-tick').last();
    expect((await lastTick.boundingBox())!.x).toBeLessThan(700);
    const tickFont = await page
      .locator('svg[data-axis="top"] text.tick')
      .first()
      .evaluate(
        (el) =>
          (el as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height,
      );
    expect(tickFont).toBeGreaterThanOrEqual(9);
    await page.close();
  });
});
