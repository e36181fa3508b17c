// What the email and the chat list of a run's signals: those not at 0 and those its events name, then
// "N others at 0", never every signal the run read.
import { renderMessage } from '../../lambda/detector/messages';
import { chatSignalLine, signalsThatMatter } from '../../lambda/detector/signal-list';
import type { DetectorOutput } from '../../lambda/detector/types';
import { run } from '../helpers/bundle';

const chatText = (o: DetectorOutput) => JSON.parse(renderMessage(o).chat).content.description as string;

describe('signalsThatMatter', () => {
  it('keeps every signal not at 0 and counts the zeros, on a healthy run', () => {
    const healthy = run({});
    const all = Object.entries(healthy.signals);
    const { shown, zeros } = signalsThatMatter(healthy);
    expect(shown).toEqual(all.filter(([, v]) => v !== 0));
    expect(zeros).toBe(all.filter(([, v]) => v === 0).length);
    expect(zeros).toBeGreaterThan(5);
  });

  it('keeps a zero the events speak of: a resolved stuck exit shows stuck_exits = 0', () => {
    const stuck = run({ status: { stuck_exits: 1 } });
    const cleared = run({ previous: stuck, now: '2026-06-01T14:10:00Z', status: { stuck_exits: 0 } });
    expect(cleared.resolved_events.map((e) => e.code)).toContain('stuck_exits');
    expect(signalsThatMatter(cleared).shown).toContainEqual(['stuck_exits', 0]);
    expect(signalsThatMatter(run({})).shown.map(([n]) => n)).not.toContain('stuck_exits');
  });

  it('keeps the readings behind an event whose code is not a signal (dashboard_up, ecs_running at 0)', () => {
    const dashboardDown = run({ top: { status_v3: undefined, dashboard_error: 'HTTP 502' } });
    expect(dashboardDown.events.map((e) => e.code)).toContain('dashboard_unreachable');
    expect(signalsThatMatter(dashboardDown).shown).toContainEqual(['dashboard_up', 0]);
    const stopped = run({ service: { runningCount: 0 }, tasks: [] });
    expect(stopped.events.map((e) => e.code)).toContain('ecs_primary_count');
    expect(signalsThatMatter(stopped).shown).toContainEqual(['ecs_running', 0]);
  });
});

describe('the email and the chat', () => {
  const escalation = run({ status: { stuck_exits: 1, unknown_fill: true, pending_exits: 1 } });
  const { shown, zeros } = signalsThatMatter(escalation);

  it('list the signals that matter in the email, then how many others are at 0', () => {
    const email = renderMessage(escalation).email;
    const block = email.slice(email.indexOf('Signals'), email.indexOf('Runbook:'));
    for (const [name, value] of shown) expect(block).toContain(`  ${name} = ${value}\n`);
    expect(block).toContain(`  (${zeros} others at 0)`);
    const listed = block.split('\n').filter((l) => / = /.test(l));
    expect(listed).toHaveLength(shown.length);
    expect(listed.length + zeros).toBe(Object.keys(escalation.signals).length);
    expect(block).not.toMatch(/ibkr_1100 = 0/);
  });

  it('give the chat the same list in one line', () => {
    const line = chatSignalLine(escalation)!;
    expect(chatText(escalation)).toContain(line);
    for (const [name, value] of shown) expect(line).toContain(`\`${name}\` ${value}`);
    expect(line).toMatch(new RegExp(`; ${zeros} others at 0$`));
  });
});
