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
    expect(result).toMatchObject({ runs: 101, missingWindows: 0 });
    expect(printed).toContain('Expected windows: 99, covered: 99, missing: 0');
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
    ]);
    expect(result.notifications).toBe(7);
    // The TWS disconnect, the isolated 10197 and the 202 entry order raise nothing.
    expect(printed).toMatch(/10:03 ET {2}ecs-event {9}observe {2}TWS disconnect/);
    expect(printed).toMatch(/10:17 ET {2}schedule:primary {2}observe {2}one normal entry order\n/);
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
    expect(await page.locator('.event-marker[data-severity="critical"]').count()).toBe(7);
    expect(await page.locator('.run-tick').count()).toBe(101);
    expect(await page.locator('.window-covered').count()).toBe(99);
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
    expect(io.out).toBe(`wrote ${out}: 101 runs, 99/99 windows covered\n`);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(out).href);
    expect(await page.locator('.event-marker').count()).toBe(await episodesInRecords());
    await page.close();
  });

  it('highlights missing windows', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'aegis-empty-'));
    const out = join(empty, 'r.html');
    expect(
      await main(
        ['report', '--runs-dir', empty, '--date', '2026-06-02', '--out', out],
        captureIo({ now: '2026-06-03T00:00:00Z' }),
      ),
    ).toBe(0);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(out).href);
    expect(await page.locator('.window-missing').count()).toBe(99);
    expect(await page.locator('li.missing').count()).toBe(99);
    expect(await page.locator('.event-marker').count()).toBe(0);
    await page.close();
  });
});
