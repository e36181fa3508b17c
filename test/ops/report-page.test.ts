// The session report in Chromium, from hand-made run records: injected markup stays text, and labels
// never collide however crowded the day (the demo's own day is checked in test/demo/report-demo.test.ts).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { main } from '../../bin/commands/main';
import type { RunRecord } from '../../lambda/detector/types';
import { launchChromium } from '../helpers/browser';
import { captureIo } from '../helpers/cli-io';
import { collisions, eventsLayout, openReport } from '../helpers/report-page';
import { runsDir } from '../helpers/runs';

jest.setTimeout(120_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const INJECT = (where: string) =>
  `<img src=x onerror="document.title='pwned-${where}'"><script>document.title='x'</script>`;

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

function event(code: string, first: string, more: Record<string, unknown> = {}) {
  return {
    code,
    signature: code,
    severity: 'critical',
    escalate: false,
    summary: code,
    first_seen_at: first,
    consecutive: 1,
    ...more,
  };
}

async function report(records: RunRecord[], date = '2026-06-01'): Promise<string> {
  const dir = await runsDir(records);
  const out = join(mkdtempSync(join(tmpdir(), 'aegis-report-')), 'r.html');
  const io = captureIo({ now: '2026-06-02T12:00:00Z' });
  const code = await main(['report', '--runs-dir', dir, '--date', date, '--out', out], io);
  expect(io.err).toBe('');
  expect(code).toBe(0);
  return out;
}

describe('the report shows injected markup as text (Chromium)', () => {
  it('in every text it takes from a record', async () => {
    const hostile = event(INJECT('code'), '2026-06-01T16:07:20Z', {
      signature: INJECT('signature'),
      summary: INJECT('summary'),
      silenced_by: INJECT('silenced_by'),
      severity: 'critical',
    });
    const silence = {
      id: INJECT('silence'),
      kind: 'manual',
      codes: [],
      until: '2026-06-01T17:00:00Z',
      by: INJECT('by'),
      reason: INJECT('reason'),
      events: 1,
    };
    const records = [
      record('2026-06-01T16:07:20Z', {
        decision: INJECT('decision'),
        decision_reason: INJECT('reason'),
        trigger: { trigger: INJECT('trigger') },
        events: [hostile],
        new_events: [hostile],
        info: [{ code: INJECT('info'), summary: INJECT('info-summary') }],
        silences: [silence],
        notifications: [
          {
            audience: 'email',
            kind: 'alert',
            outcome: 'failed',
            signatures: [INJECT('sig')],
            subject: INJECT('subject'),
            error: INJECT('error'),
          },
          { audience: 'chat', kind: 'digest', outcome: 'told', signatures: [], subject: INJECT('digest') },
        ],
      }),
      record('2026-06-01T16:12:20Z', {
        resolved_events: [{ ...hostile, resolved_at: '2026-06-01T16:12:20Z' }],
      }),
    ];
    const file = await report(records);
    const page = await openReport(browser, file, 1280);
    const injected = await page.evaluate(
      `document.querySelectorAll('img, script, iframe, object, embed, [onerror]').length`,
    );
    expect(injected).toBe(0);
    expect(await page.title()).toBe('aegis-pt session report 2026-06-01');
    const text = await page.locator('body').innerText();
    for (const where of [
      'decision',
      'reason',
      'trigger',
      'code',
      'summary',
      'silenced_by',
      'info',
      'info-summary',
      'error',
      'digest',
    ])
      expect(text).toContain(`<img src=x onerror="document.title='pwned-${where}'">`);
    // And the file itself has no tag that a record wrote.
    expect(readFileSync(file, 'utf8')).not.toMatch(/<img|<script/i);
    await page.close();
  });
});

describe('event labels never collide (Chromium, by their bounding boxes)', () => {
  // A crowded afternoon: rows that flap every few minutes, long codes, episodes near both edges.
  const codes = [
    'dashboard_unreachable',
    'gateway_unhealthy',
    'broker_confirmation_required',
    'pnl_unknown_trades',
    'ibkr_connectivity',
    'heartbeat_stale',
    'x',
  ];
  const records: RunRecord[] = [];
  for (let m = 0; m < 7 * 60; m += 5) {
    const at = new Date(Date.parse('2026-06-01T13:30:20Z') + m * 60_000).toISOString().replace('.000Z', 'Z');
    const open = codes.filter((_, i) => Math.floor(m / (5 * (i + 1))) % 3 === 0);
    records.push(
      record(at, {
        events: open.map((c, i) => {
          const since = m - (m % (15 * (i + 1)));
          return event(c, new Date(Date.parse('2026-06-01T13:30:20Z') + since * 60_000).toISOString());
        }),
      }),
    );
  }

  // 320: the narrowest phones; the charts keep a width where text rows cannot meet, and scroll.
  it.each([1280, 700, 320])('at %i px wide', async (width) => {
    const page = await openReport(browser, await report(records), width);
    const layout = await eventsLayout(page);
    expect(layout.labels.length).toBeGreaterThanOrEqual(codes.length - 1);
    expect(collisions(layout)).toEqual([]);
    await page.close();
  });
});
