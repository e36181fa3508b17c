// The report's first lines against what the real check recorded: run records written by the handler on
// local parts (loopback dashboard, directory store, silences in the store), then the real `report`
// command, then the page read in Chromium. Each case is a day where a sentence could say something false.
import { mkdtempSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { main } from '../../bin/commands/main';
import type { FsStore } from '../../lambda/adapters/fs-store';
import { createHandler } from '../../lambda/handler';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import { launchChromium } from '../helpers/browser';
import { localDeps, payloadAt, RecordingNotifier, type LocalDeps } from '../helpers/check-deps';
import { captureIo } from '../helpers/cli-io';
import { record, runsDir } from '../helpers/runs';
import { firings, parseCron } from '../../lambda/shared/cron';
import { CADENCES, cadenceDefinitions } from '../../lambda/shared/schedules';
import { openReport } from '../helpers/report-page';

jest.setTimeout(120_000);

let dash: LocalDashboard;
let browser: Browser;
beforeAll(async () => {
  [dash, browser] = await Promise.all([startDashboard(), launchChromium()]);
});
afterAll(async () => {
  await Promise.all([dash?.close(), browser?.close()]);
});

/** 2026-06-01 (EDT): HH:MM ET as UTC. */
const et = (hhmm: string) =>
  `2026-06-01T${String(Number(hhmm.slice(0, 2)) + 4).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;

const STUCK = { stuck_exits: 1, pending_exits: 1 };

function silence(id: string, from: string, to: string, codes: string[]) {
  return {
    id,
    codes,
    starts_at: et(from),
    ends_at: et(to),
    reason: 'on it',
    created_by: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
    created_at: et(from),
    include_escalations: true,
  };
}

interface Step {
  readonly at: string;
  readonly status?: Record<string, unknown>;
  readonly silences?: unknown[];
}

/** The real handler at each step (every audience routed), then the real report; the page opened. */
async function day(steps: readonly Step[]): Promise<{ deps: LocalDeps; page: Page }> {
  const deps = localDeps(dash.url, { at: et(steps[0].at) });
  const notifier = new RecordingNotifier(['page', 'email', 'chat']);
  const store = deps.store as FsStore;
  const handler = createHandler({ ...deps, notifier, silences: store });
  for (const s of steps) {
    if (s.silences) {
      const current = await store.readSilences();
      await store.writeSilences(s.silences, current.etag);
    }
    deps.clockAt.iso = et(s.at);
    dash.serve({ kind: 'json', body: payloadAt(et(s.at), s.status ?? {}) });
    await handler({ trigger: 'schedule:primary' });
  }
  const out = join(mkdtempSync(join(tmpdir(), 'aegis-truth-')), 'r.html');
  const io = captureIo({ now: '2026-06-02T12:00:00Z' });
  const code = await main(['report', '--runs-dir', deps.dir, '--date', '2026-06-01', '--out', out], io);
  expect({ code, err: io.err }).toEqual({ code: 0, err: '' });
  return { deps: { ...deps, notifier }, page: await openReport(browser, out, 1280) };
}

const summary = (page: Page) => page.locator('[data-summary] p').allInnerTexts();

describe('the summary says what the pager heard, whatever silences did before or after', () => {
  it('an escalation paged, then silenced while someone works on it, is named as an escalation', async () => {
    const { deps, page } = await day([
      { at: '12:02' },
      { at: '12:07', status: STUCK },
      {
        at: '12:12',
        status: STUCK,
        silences: [silence('s-ack', '12:10', '13:10', ['stuck_exits', 'pending_exits'])],
      },
      { at: '12:17', status: STUCK },
      { at: '12:22' },
    ]);
    // The pager was told: the stuck exit escalated at 12:07.
    expect(deps.notifier.byAudience.page.map((m) => m.subject)).toContainEqual(
      expect.stringMatching(/new: .*stuck_exits.* -> escalate$/),
    );
    const [alerts, rest] = await summary(page);
    expect(alerts).not.toMatch(/^No alerts/);
    expect(alerts).toMatch(
      /^1 escalation \(stuck exits with pending exits, 12:07-12:22 ET, 15 min, resolved\)/,
    );
    expect(rest).toMatch(/^Silence s-ack 12:10-13:10 ET by arn:\S+ held back 2 events, all cleared; /);
    // Drawn as told (filled), not as the hollow ring that means "recorded, not told".
    expect(await page.locator('.event-marker.silenced[data-code="stuck_exits"]').count()).toBe(0);
    await page.close();
  });

  it('an event held back, still open when its silence ends and then told, is an alert', async () => {
    const { deps, page } = await day([
      { at: '12:02', silences: [silence('s-early', '12:00', '12:15', ['stuck_exits', 'pending_exits'])] },
      { at: '12:07', status: STUCK },
      { at: '12:12', status: STUCK },
      { at: '12:17', status: STUCK },
      { at: '12:22' },
    ]);
    expect(deps.notifier.byAudience.page.map((m) => m.subject)).toContainEqual(
      expect.stringMatching(/new: .*stuck_exits.* -> escalate$/),
    );
    const [alerts] = await summary(page);
    expect(alerts).toMatch(
      /^1 escalation \(stuck exits with pending exits, 12:07-12:22 ET, 15 min, resolved\)/,
    );
    await page.close();
  });

  it('counts an event under every silence that held it back, not only the first', async () => {
    const { page } = await day([
      { at: '12:02', silences: [silence('s-one', '12:00', '12:15', ['stuck_exits', 'pending_exits'])] },
      { at: '12:07', status: STUCK },
      {
        at: '12:12',
        status: STUCK,
        silences: [
          silence('s-one', '12:00', '12:15', ['stuck_exits', 'pending_exits']),
          silence('s-two', '12:11', '12:40', ['stuck_exits', 'pending_exits']),
        ],
      },
      { at: '12:17', status: STUCK },
      { at: '12:22' },
    ]);
    const [alerts, rest] = await summary(page);
    expect(alerts).toBe('No alerts: nothing escalated or needed attention.');
    expect(rest).toMatch(/Silence s-one 12:00-12:15 ET by \S+ held back 2 events, all cleared; /);
    expect(rest).toMatch(/silence s-two 12:11-12:40 ET by \S+ held back 2 events, all cleared; /);
    await page.close();
  });
});

describe('the summary counts what is open from what the records say', () => {
  it('after a gap the detector starts an open event anew: one event open, not two', async () => {
    // 12:02 and 12:22 are 20 minutes apart, longer than the 15 minutes a previous output counts for.
    const { page } = await day([
      { at: '11:57' },
      { at: '12:02', status: { pending_exits: 1 } },
      { at: '12:22', status: { pending_exits: 1 } },
    ]);
    const [, rest] = await summary(page);
    expect(rest).toMatch(
      /2 events OPEN at the last check \(12:22 ET\): pending exits \+ monitor gap, since 12:22 ET\.$/,
    );
    expect(rest).not.toMatch(/never resolved/);
    await page.close();
  });

  it('an event whose resolving run left no record is never resolved in the records, not open at the last check', async () => {
    const { deps, page: first } = await day([
      { at: '12:02', status: STUCK },
      { at: '12:07', status: STUCK },
      { at: '12:12' },
      { at: '12:17' },
    ]);
    await first.close();
    // The 12:12 run told the resolution, and its record is lost (a failed write, a deleted object).
    const dayDir = join(deps.dir, 'runs/2026/06/01');
    const lost = readdirSync(dayDir).filter((f) => f.startsWith('2026-06-01T16:12:00Z'));
    expect(lost).toHaveLength(1);
    unlinkSync(join(dayDir, lost[0]));
    const out = join(mkdtempSync(join(tmpdir(), 'aegis-truth-')), 'r.html');
    const io = captureIo({ now: '2026-06-02T12:00:00Z' });
    expect(await main(['report', '--runs-dir', deps.dir, '--date', '2026-06-01', '--out', out], io)).toBe(0);
    const page = await openReport(browser, out, 1280);
    const [alerts, rest] = await summary(page);
    expect(alerts).toMatch(/still open\)\.$/);
    expect(rest).toMatch(
      /nothing open at the last check \(12:17 ET\); 2 events never resolved in the records: pending exits \+ stuck exits, last seen 12:07 ET\.$/,
    );
    await page.close();
  });
});

describe('the summary dates what did not happen on the report day', () => {
  it('a silence set the evening before says which evening', async () => {
    const night = {
      ...silence('s-night', '09:00', '10:30', ['pending_exits']),
      starts_at: '2026-05-31T23:00:00Z',
      created_at: '2026-05-31T23:00:00Z',
    };
    const { page } = await day([
      { at: '09:35', status: { pending_exits: 1 }, silences: [night] },
      { at: '09:40', status: { pending_exits: 1 } },
    ]);
    const [, rest] = await summary(page);
    expect(rest).toMatch(
      /^Silence s-night 2026-05-31 19:00-10:30 ET by \S+ held back 1 event, 1 still open; /,
    );
    await page.close();
  });
});

describe('the summary judges coverage against the schedules the deployment runs', () => {
  // A deployment at the 1-minute cadence (-c cadence=1m) whose primary schedule skipped 10:01-10:06 ET.
  const skipped = (t: number) => t >= Date.parse(et('10:01')) && t <= Date.parse(et('10:06'));
  const records = cadenceDefinitions('1m').flatMap((d) =>
    firings(parseCron(d.cron), Date.parse('2026-06-01T13:00:00Z'), Date.parse('2026-06-01T21:59:00Z'))
      .filter((t) => d.name !== 'primary' || !skipped(t))
      .map((t) => record(new Date(t + 20_000).toISOString(), d.trigger, new Date(t).toISOString())),
  );

  async function firstLines(cron: string[]): Promise<string[]> {
    const dir = await runsDir(records);
    const out = join(mkdtempSync(join(tmpdir(), 'aegis-truth-')), 'r.html');
    const io = captureIo({ now: '2026-06-02T12:00:00Z' });
    const args = ['report', '--runs-dir', dir, '--date', '2026-06-01', '--out', out, ...cron];
    expect(await main(args, io)).toBe(0);
    const page = await openReport(browser, out, 1280);
    const lines = await summary(page);
    await page.close();
    return lines;
  }

  it('judged against other schedules, it does not say every window was covered without saying the runs fit none', async () => {
    const [, rest] = await firstLines([
      '--cron',
      `primary=${CADENCES['5m'].primary}`,
      '--cron',
      `fallback=${CADENCES['5m'].fallback}`,
    ]);
    expect(rest).not.toMatch(/^All \d+ schedule windows covered;(?! \d+ scheduled runs fit no window)/);
    expect(rest).toMatch(/\d+ scheduled runs fit no window of the schedules judged/);
  });

  it('with the deployed crons (--cron) it names the missed windows', async () => {
    const [, rest] = await firstLines([
      '--cron',
      `primary=${CADENCES['1m'].primary}`,
      '--cron',
      `fallback=${CADENCES['1m'].fallback}`,
    ]);
    expect(rest).toMatch(/^6 of \d+ schedule windows MISSED \(first 10:01 ET primary\); /);
    expect(rest).not.toMatch(/fit no window/);
  });

  it('offline without --cron it judges against the defaults, the one-minute cadence', async () => {
    const [, rest] = await firstLines([]);
    expect(rest).toMatch(/^6 of \d+ schedule windows MISSED \(first 10:01 ET primary\); /);
  });
});
