// The report's first lines, from hand-made run records: what alerted, what was held back, coverage, open.
import type { GapReport } from '../../lib/ops/gap';
import type { RunRecord } from '../../lambda/detector/types';
import { reportData } from '../../lib/ops/report-data';
import { summarySentences } from '../../lib/ops/report-summary';

interface Ev {
  code: string;
  first: string;
  severity?: 'warn' | 'critical';
  escalate?: boolean;
  silenced_by?: string;
}

const at = (hhmm: string) =>
  `2026-06-01T${String(Number(hhmm.slice(0, 2)) + 4).padStart(2, '0')}:${hhmm.slice(3)}:20Z`;
const event = (e: Ev) => ({
  code: e.code,
  signature: e.code,
  severity: e.severity ?? 'critical',
  escalate: e.escalate ?? false,
  summary: e.code,
  first_seen_at: at(e.first),
  consecutive: 1,
  ...(e.silenced_by ? { silenced_by: e.silenced_by } : {}),
});

/** One run at `time` (ET) with these events open and those resolved. */
function run(time: string, open: Ev[], resolved: Ev[] = [], extra: Record<string, unknown> = {}): RunRecord {
  return {
    schema: 'aegis-pt-health/v1',
    checked_at: at(time),
    decision: open.some((e) => e.escalate) ? 'escalate' : open.length ? 'notify' : 'observe',
    decision_reason: '',
    events: open.map(event),
    new_events: [],
    resolved_events: resolved.map((e) => ({ ...event(e), resolved_at: at(time) })),
    info: [],
    signals: {},
    trigger: { trigger: 'schedule:primary' },
    ...extra,
  } as unknown as RunRecord;
}

const gap = (over: Partial<GapReport> = {}): GapReport => ({
  from: '',
  until: '',
  grace_minutes: 8,
  schedules: [],
  expected: 99,
  covered: 99,
  missing_windows: [],
  pending_windows: [],
  runs_outside_windows: [],
  covered_windows: [],
  verdict: 'covered',
  ...over,
});

const summary = (records: RunRecord[], g = gap()) => summarySentences(reportData(records), g);

const STUCK: Ev = { code: 'stuck_exits', first: '12:07', escalate: true };
const FILL: Ev = { code: 'unknown_fill', first: '12:07', escalate: true };
const EXITS: Ev = { code: 'pending_exits', first: '12:07', severity: 'warn' };

describe('the report summary', () => {
  it('names the escalations with what came with them, when, how long, and that they resolved', () => {
    const [alerts, rest] = summary([
      run('12:07', [STUCK, FILL, EXITS]),
      run('12:17', [STUCK, FILL, EXITS]),
      run('12:22', [], [STUCK, FILL, EXITS]),
    ]);
    expect(alerts).toBe(
      '2 escalations (stuck exits + unknown fill with pending exits, 12:07-12:22 ET, 15 min, resolved).',
    );
    expect(rest).toBe('All 99 schedule windows covered; nothing open at the last check (12:22 ET).');
  });

  it('says what is still open at the last check, and since when', () => {
    const [alerts, rest] = summary([run('12:07', [STUCK]), run('12:12', [STUCK, EXITS])]);
    expect(alerts).toMatch(
      /^1 escalation \(stuck exits with pending exits, 12:07-12:12 ET, 5 min, still open\)\.$/,
    );
    expect(rest).toMatch(
      /2 events OPEN at the last check \(12:12 ET\): stuck exits \+ pending exits, since 12:07 ET\.$/,
    );
  });

  it('counts what each deploy window held back, and not as an alert', () => {
    const held: Ev = { code: 'dashboard_unreachable', first: '14:30', silenced_by: 'w-1' };
    const silence = {
      id: 'w-1',
      kind: 'deploy-window',
      codes: [],
      until: at('14:58'),
      by: 'arn:aws:sts::1:assumed-role/ops/alice',
      reason: 'deploy',
      events: 1,
    };
    const [alerts, rest] = summary([
      run('14:30', [held], [], { silences: [silence] }),
      run('14:37', [], [], { silences: [{ ...silence, events: 0 }] }),
    ]);
    expect(alerts).toBe('No alerts: nothing escalated or needed attention.');
    expect(rest).toMatch(
      /^Deploy window w-1 14:30-14:58 ET by arn:aws:sts::1:assumed-role\/ops\/alice held back 1 event, all cleared; /,
    );
  });

  it('says loudly when schedule windows were missed or a delivery failed', () => {
    const told = (audience: string, outcome: string) => ({
      audience,
      kind: 'alert',
      outcome,
      signatures: ['stuck_exits'],
      subject: 's',
      ...(outcome === 'failed' ? { error: 'Throttling' } : {}),
    });
    const first = run('12:07', [STUCK], [], {
      new_events: [event(STUCK)],
      notifications: [told('email', 'told'), told('chat', 'failed'), told('page', 'told')],
    });
    const missing = [{ schedule: 'fallback', at: '2026-06-01T16:12:00Z' }];
    const [, rest] = summary([first], gap({ missing_windows: missing, covered: 98 }));
    expect(rest).toContain('1 of 99 schedule windows MISSED (first 12:12 ET fallback)');
    expect(rest).toContain('1 delivery FAILED (chat at 12:07 ET)');
  });

  it('names the most serious episodes when there are many, and counts the rest', () => {
    const warn = (h: number): Ev => ({ code: `w${h}`, first: `${10 + h}:00`, severity: 'warn' });
    const records = [0, 1, 2, 3, 4, 5].flatMap((h) => [
      run(`${10 + h}:00`, [warn(h)]),
      run(`${10 + h}:10`, [], [warn(h)]),
    ]);
    records.push(run('12:30', [{ code: 'stuck_exits', first: '12:30', escalate: true }]));
    const [alerts] = summary(records);
    expect(alerts).toContain('1 escalation (stuck exits, 12:30-12:30 ET, 0 min, still open)');
    expect(alerts).toMatch(/^1 warning \(w0, 10:00-10:10 ET, 10 min, resolved\); /);
    expect(alerts).toMatch(/; and 3 more alert episodes \(see Events\)\.$/);
  });

  it('says when there are no run records at all', () => {
    expect(
      summary([], gap({ covered: 0, missing_windows: [{ schedule: 'primary', at: at('09:37') }] }))[1],
    ).toMatch(/no run records: nothing was checked\.$/);
  });
});
