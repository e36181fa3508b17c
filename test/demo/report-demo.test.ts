// The demo's session report in Chromium, read as the on-call person reads it: the first lines, the
// event labels, the legend, the schedule rows and who was told. Every expectation comes from the demo's
// own run records (the demo's cadence and script may change), never from counts written here.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { main } from '../../bin/commands/main';
import { FsStore } from '../../lambda/adapters/fs-store';
import { formatEt } from '../../lambda/detector/time';
import type { RunRecord } from '../../lambda/detector/types';
import type { GapReport } from '../../lib/ops/gap';
import { runDemo, type DemoResult } from '../../lib/demo/run-demo';
import { launchChromium } from '../helpers/browser';
import { captureIo } from '../helpers/cli-io';
import {
  collisions,
  eventsLayout,
  openReport,
  reportFigures,
  withoutRandomIds,
} from '../helpers/report-page';
import { pngSize, readPngText } from '../../scripts/png-text';
import { parseFigureBlocks } from '../../scripts/readme-figures';
import { FIGURES_KEY, SCREENSHOT, SCREENSHOT_WIDTH } from '../../scripts/screenshot-report';
import { demoBlocks } from '../../scripts/readme-demo';

jest.setTimeout(120_000);

const DATE = '2026-06-01';
let dir: string;
let result: DemoResult;
let browser: Browser;
let records: RunRecord[];
let gap: GapReport;
let printed = '';

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'aegis-demo-')), '.demo');
  result = await runDemo(dir, (text) => {
    printed += text;
  });
  browser = await launchChromium();
  records = (await new FsStore(dir).listRuns({ from: `${DATE}T00:00:00Z`, to: '2026-06-02T06:00:00Z' }))
    .records;
  const io = captureIo({ now: '2026-06-02T12:00:00Z' });
  await main(
    [
      'gap',
      '--runs-dir',
      dir,
      '--created-after',
      `${DATE}T04:00:00Z`,
      '--until',
      '2026-06-02T03:59:59Z',
      '--json',
    ],
    io,
  );
  gap = JSON.parse(io.out) as GapReport;
});
afterAll(() => browser?.close());

const hhmm = (iso: string) => formatEt(Date.parse(iso)).slice(11, 16);
const words = (code: string) => code.replace(/_/g, ' ');
const key = (e: { signature: string; first_seen_at: string }) => `${e.signature}@${e.first_seen_at}`;

async function page(width = 1280): Promise<Page> {
  return openReport(browser, result.reportPath, width);
}

describe("the demo report's first lines", () => {
  it('say what escalated and when, what each deploy window held back, the coverage and what is open', async () => {
    const p = await page();
    const [alerts, rest] = await p.locator('[data-summary] p').allInnerTexts();
    // Above the tiles: the first thing on the page after the title lines.
    const summaryBox = (await p.locator('[data-summary]').boundingBox())!;
    expect(summaryBox.y).toBeLessThan((await p.locator('.summary').boundingBox())!.y);

    const told = records.flatMap((r) => r.events).filter((e) => !e.silenced_by);
    const escalating = new Map(told.filter((e) => e.escalate).map((e) => [key(e), e]));
    expect(escalating.size).toBeGreaterThan(0);
    for (const e of escalating.values()) expect(alerts).toContain(words(e.code));
    const firstEscalation = [...escalating.values()].map((e) => e.first_seen_at).sort()[0];
    expect(alerts).toContain(`${hhmm(firstEscalation)}-`);
    expect(alerts).toMatch(
      new RegExp(`\\b${new Set([...escalating.values()].map((e) => e.code)).size} escalations? \\(`),
    );

    const silenced = records.flatMap((r) => r.events).filter((e) => e.silenced_by);
    for (const id of new Set(silenced.map((e) => e.silenced_by as string))) {
      const held = new Set(silenced.filter((e) => e.silenced_by === id).map(key)).size;
      expect(rest).toMatch(
        new RegExp(`${id} \\d\\d:\\d\\d-\\d\\d:\\d\\d ET by \\S+ held back ${held} events?`),
      );
    }
    expect(rest).toContain(`all ${gap.expected} schedule windows covered`);
    const last = records[records.length - 1];
    expect(last.events).toEqual([]);
    expect(rest).toContain(`nothing open at the last check (${hhmm(last.checked_at)} ET)`);
    await p.close();
  });
});

describe("the demo report's event labels", () => {
  it.each([1280, 700])(
    'name every row whole and never overlap one another or a marker at %i px',
    async (width) => {
      const p = await page(width);
      const layout = await eventsLayout(p);
      expect(collisions(layout)).toEqual([]);
      const rows = new Map(records.flatMap((r) => r.events).map((e) => [e.signature, e.code]));
      expect(layout.labels.map((l) => l.what).sort()).toEqual([...rows.values()].sort());
      await p.close();
    },
  );
});

describe("the demo report's legend", () => {
  it('explains the deploy-window band and the hollow silenced ring with the marks the charts draw', async () => {
    const p = await page();
    const legend = p.locator('[data-legend]');
    const fill = (sel: string) =>
      p
        .locator(sel)
        .first()
        .evaluate((el) => {
          const win = globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> };
          return win.getComputedStyle(el).fill;
        });
    // The band the charts shade and the swatch the legend shows are the same colour.
    expect(await fill('[data-legend] .legend-deploy-window rect')).toBe(
      await fill('svg[data-chart="events"] rect.silence-deploy-window'),
    );
    expect(await legend.locator('.legend-deploy-window').innerText()).toContain('deploy window');
    expect(await legend.locator('.legend-silence').innerText()).toContain('silence');
    // The hollow ring is filled white like every silenced marker.
    expect(await fill('[data-legend] .legend-silenced circle')).toBe(
      await fill('.event-marker.silenced circle'),
    );
    expect(await legend.locator('.legend-silenced').innerText()).toContain('silenced');
    await p.close();
  });
});

describe("the demo report's schedule rows", () => {
  it('say where a schedule has no slot, so its empty ticks do not read as missed windows', async () => {
    const p = await page();
    const slots = await p.locator('.slots').innerText();
    const windows = [...gap.covered_windows, ...gap.missing_windows];
    for (const { name } of gap.schedules) {
      const minutes = new Set(
        windows.filter((w) => w.schedule === name).map((w) => new Date(w.at).getUTCMinutes()),
      );
      // "every minute" (the default primary) has a slot in every minute: a step of 1, nothing left out.
      const part = new RegExp(
        `${name} every (?:(\\d+) min at [^;]*?(?:, no slot at ((?::\\d\\d ?)+))?|minute)(?:;|\\s\\()`,
      ).exec(slots);
      expect(part).not.toBeNull();
      for (const m of (part![2] ?? '').match(/\d\d/g) ?? []) expect(minutes.has(Number(m))).toBe(false);
      const step = part![1] === undefined ? 1 : Number(part![1]);
      for (const m of minutes) expect((m - Math.min(...minutes)) % step).toBe(0);
    }
    await p.close();
  });
});

describe("the demo report's notifications", () => {
  it('say per audience who was told, from each run record; older records say they do not know', async () => {
    const p = await page();
    const rows = p.locator('tr.notification-kind-alert');
    const news = records.filter((r) => r.new_events.length > 0 || r.resolved_events.length > 0);
    expect(await rows.count()).toBeGreaterThanOrEqual(news.length);
    expect(await p.locator('table.notifications').innerText()).not.toMatch(/all subscribers/);
    for (const [i, r] of news.entries()) {
      const row = rows.nth(i);
      expect(await row.innerText()).toContain(hhmm(r.checked_at));
      const log = (r as { notifications?: { audience: string; kind: string; outcome: string }[] })
        .notifications;
      if (!log) {
        expect(await row.locator('.audience-unrecorded').innerText()).toContain('not recorded');
        continue;
      }
      for (const audience of ['page', 'email', 'chat']) {
        const entry = log.find((n) => n.kind === 'alert' && n.audience === audience);
        const cell = await row.locator(`[data-audience="${audience}"]`).innerText();
        expect(cell).toMatch(entry ? new RegExp(entry.outcome) : /^-$/);
      }
    }
    await p.close();
  });
});

describe("README's screenshot of the demo report", () => {
  const ROOT = resolve(__dirname, '../..');

  it('shows what the demo makes now, and README says the same (else: npm run docs:screenshot)', async () => {
    const png = readFileSync(join(ROOT, SCREENSHOT));
    expect(pngSize(png).width).toBe(SCREENSHOT_WIDTH);
    const kept = JSON.parse(readPngText(png, FIGURES_KEY) ?? 'null');
    const p = await page(SCREENSHOT_WIDTH);
    const now = withoutRandomIds(await reportFigures(p));
    await p.close();
    expect({ [SCREENSHOT]: kept }).toEqual({ [SCREENSHOT]: now });
    const block = parseFigureBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).blocks.find(
      (b) => b.id === 'demo-report',
    );
    const text = withoutRandomIds({ ...now, summary: [block?.body ?? ''] }).summary[0];
    for (const line of now.summary) expect(text).toContain(`> ${line}`);
    expect(text).toContain(`${now.runs} run ticks`);
    expect(text).toContain(`](${SCREENSHOT})`);
  });
});

describe("README's demo transcript", () => {
  it('is what the demo prints now (else: npm run docs:demo)', () => {
    const ids = (text: string) => text.replace(/\b(w-\d{8}T\d{4})-[0-9a-f]{4,}\b/g, '$1-xxxx');
    const readme = parseFigureBlocks(readFileSync(resolve(__dirname, '../../README.md'), 'utf8')).blocks;
    for (const [id, body] of Object.entries(demoBlocks(printed))) {
      const block = readme.find((b) => b.id === id);
      expect({ [id]: ids(block?.body ?? 'missing') }).toEqual({ [id]: ids(body) });
    }
  });
});
