// The report against run records and silences of any JSON shape (a corrupt object, a forged one): the
// real `report` command still writes the page, and nothing a record holds changes what the page says
// around it. Read in Chromium.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { main } from '../../bin/commands/main';
import type { RunRecord } from '../../lambda/detector/types';
import { launchChromium } from '../helpers/browser';
import { captureIo } from '../helpers/cli-io';
import { collisions, eventsLayout, openReport } from '../helpers/report-page';
import { INTERLEAVE_CRON_ARGS, runsDir } from '../helpers/runs';

jest.setTimeout(120_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

function record(at: string, over: Record<string, unknown>): RunRecord {
  return {
    schema: 'aegis-pt-health/v1',
    checked_at: at,
    clock: {},
    decision: 'notify',
    decision_reason: 'r',
    events: [],
    new_events: [],
    resolved_events: [],
    info: [],
    signals: {},
    trigger: { trigger: 'schedule:primary' },
    ...over,
  } as unknown as RunRecord;
}

const event = (code: string, first: string, more: Record<string, unknown> = {}) => ({
  code,
  signature: code,
  severity: 'critical',
  escalate: false,
  summary: code,
  first_seen_at: first,
  consecutive: 1,
  ...more,
});

const STUCK = event('stuck_exits', '2026-06-01T16:00:20Z', { escalate: true });
/** A JSON object whose `toString` is not a function: String() of it throws. */
const NOT_TEXT = { toString: 1 };

async function report(dir: string): Promise<{ code: number; err: string; file: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'aegis-hostile-')), 'r.html');
  const io = captureIo({ now: '2026-06-02T12:00:00Z' });
  // Judged against the 5-minute interleave: at the one-minute default a day of one record lists 647
  // missing windows, which would size the page by coverage rather than by what a record holds.
  const args = ['report', '--runs-dir', dir, '--date', '2026-06-01', '--out', file, ...INTERLEAVE_CRON_ARGS];
  const code = await main(args, io);
  return { code, err: io.err, file };
}

const summary = (page: Page) => page.locator('[data-summary] p').allInnerTexts();

describe('a record of any shape never stops the report', () => {
  const hostile: Record<string, Record<string, unknown>> = {
    'a first-seen time that is not one': { events: [event('heartbeat_stale', 'not a time')] },
    'a resolution time that is not one': { resolved_events: [{ ...STUCK, resolved_at: 'never' }] },
    'an info summary that is no text': { info: [{ code: 'previous_ignored', summary: NOT_TEXT }] },
    'a decision that is no text': { decision: NOT_TEXT, decision_reason: NOT_TEXT },
    'null where an event should be': { new_events: [null, 7], resolved_events: [null], info: [null] },
    'a silence note of the wrong types': {
      silences: [null, { id: 's-x', kind: NOT_TEXT, by: NOT_TEXT, reason: [1], until: 5, events: 'x' }],
    },
    'a silenced_by that is no text': {
      events: [event('pending_exits', '2026-06-01T16:00:20Z', { silenced_by: NOT_TEXT })],
    },
    'a notification log of the wrong types': {
      notifications: [
        null,
        'x',
        { audience: 'page', kind: 'alert', outcome: 'told', subject: NOT_TEXT, signatures: 5 },
      ],
    },
  };

  it.each(Object.entries(hostile))('%s: the page is written and shows the other runs', async (_, over) => {
    const dir = await runsDir([
      record('2026-06-01T16:00:20Z', { decision: 'escalate', events: [STUCK], new_events: [STUCK] }),
      record('2026-06-01T16:05:20Z', over),
    ]);
    const { code, err, file } = await report(dir);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const page = await openReport(browser, file, 1280);
    expect((await summary(page))[0]).toMatch(/^1 escalation \(stuck exits/);
    await page.close();
  });

  it('a text of a megabyte is cut, saying how long it was', async () => {
    const huge = 'x'.repeat(1_000_000);
    const dir = await runsDir([
      record('2026-06-01T16:00:20Z', {
        events: [{ ...STUCK, summary: huge }],
        new_events: [{ ...STUCK, summary: huge }],
        decision_reason: huge,
        info: [{ code: 'previous_ignored', summary: huge }],
      }),
    ]);
    const { code, file } = await report(dir);
    expect(code).toBe(0);
    expect(statSync(file).size).toBeLessThan(100_000);
    expect(readFileSync(file, 'utf8')).toContain('(1000000 characters)');
  });
});

describe('a record cannot draw outside the chart', () => {
  it('an episode first seen days before the day is drawn from the chart edge, and its date is said', async () => {
    const old = event('stuck_exits', '2026-05-28T19:50:20Z', { escalate: true });
    const dir = await runsDir([
      record('2026-06-01T13:35:20Z', { events: [old] }),
      record('2026-06-01T13:40:20Z', { events: [old] }),
    ]);
    const { file } = await report(dir);
    const page = await openReport(browser, file, 1280);
    const layout = await eventsLayout(page);
    expect(layout.marks.length).toBeGreaterThan(0);
    for (const m of layout.marks) {
      expect(m.x).toBeGreaterThanOrEqual(layout.chart.x - 0.5);
      expect(m.x + m.w).toBeLessThanOrEqual(layout.chart.x + layout.chart.w + 0.5);
    }
    expect(collisions(layout)).toEqual([]);
    const [alerts, rest] = await summary(page);
    expect(alerts).toMatch(/^1 escalation \(stuck exits, 2026-05-28 15:50-09:40 ET, /);
    expect(rest).toMatch(/stuck exits, since 2026-05-28 15:50 ET\.$/);
    await page.close();
  });
});

describe("a record's text cannot reorder the page's own words", () => {
  it('a right-to-left override in who made a silence shows as its code, and the sentence reads left to right', async () => {
    const by = 'alice\u202e';
    const note = {
      id: 's-1',
      kind: 'manual',
      codes: [],
      until: '2026-06-01T17:00:00Z',
      by,
      reason: 'r\u2067',
      events: 1,
    };
    const held = event('pending_exits', '2026-06-01T16:00:20Z', { silenced_by: 's-1' });
    const dir = await runsDir([record('2026-06-01T16:00:20Z', { events: [held], silences: [note] })]);
    const { file } = await report(dir);
    const page = await openReport(browser, file, 1280);
    const [, rest] = await summary(page);
    expect(rest).toContain('by alice\\u202e held back 1 event');
    expect(await page.locator('body').innerText()).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    // Where the words after it are drawn: line by line, left to right, as written.
    const at = (await page.evaluate(`(() => {
      const p = document.querySelectorAll('[data-summary] p')[1];
      const node = p.firstChild;
      return ['held', 'back', '1 event', 'still', 'OPEN', 'last check'].map((word) => {
        const i = node.textContent.indexOf(word);
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + word.length);
        const box = r.getClientRects()[0];
        return [Math.round(box.y), box.x];
      });
    })()`)) as [number, number][];
    const reading = [...at].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(at).toEqual(reading);
    await page.close();
  });
});
