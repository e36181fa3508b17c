// Routing levels and the chat rendering: who is paged for a run, and what Chatbot receives.
import { renderMessage } from '../../lambda/detector/messages';
import { renderChat } from '../../lambda/detector/chat';
import { meetsFloor, pageLevel } from '../../lambda/detector/routing';
import type { DetectorOutput } from '../../lambda/detector/types';
import { run } from '../helpers/bundle';

const at = (hhmm: string) => `2026-06-01T${hhmm}:00Z`;
const fresh = (now: string) => new Date(Date.parse(now) - 10_000).toISOString();

function chain(steps: { now: string; status?: Record<string, unknown> }[]): DetectorOutput[] {
  const outs: DetectorOutput[] = [];
  for (const s of steps) {
    outs.push(
      run({
        now: s.now,
        status: { heartbeat_at: fresh(s.now), pending_order_details: [], pending_orders: 0, ...s.status },
        previous: outs.length ? outs[outs.length - 1] : null,
      }),
    );
  }
  return outs;
}

describe('the paging level', () => {
  it('is the level of what is new: warn, critical, escalate', () => {
    const [warn] = chain([{ now: at('14:07'), status: { pending_orders: 2 } }]);
    const [critical] = chain([{ now: at('14:07'), status: { send_outcome_unknown: true } }]);
    const [escalate] = chain([{ now: at('14:07'), status: { unknown_fill: true } }]);
    expect([pageLevel(warn), pageLevel(critical), pageLevel(escalate)]).toEqual([
      'warn',
      'critical',
      'escalate',
    ]);
  });

  it('is null when nothing is told', () => {
    const [, quiet] = chain([
      { now: at('14:07'), status: { pending_orders: 2 } },
      { now: at('14:12'), status: { pending_orders: 2 } },
    ]);
    expect(pageLevel(quiet)).toBeNull();
  });

  it('routes a resolution to the level it was told at, even after its severity fell', () => {
    const outs = chain([
      { now: at('14:07'), status: { pending_orders: 3 } },
      { now: at('14:12'), status: { pending_orders: 2 } },
      { now: at('14:17') },
    ]);
    expect(outs[1].new_events).toEqual([]);
    expect(outs[2].resolved_events[0]).toMatchObject({ severity: 'warn', notified_level: 'critical' });
    expect(pageLevel(outs[2])).toBe('critical');
    expect(meetsFloor(pageLevel(outs[2]), 'critical')).toBe(true);
  });

  it('does not page the resolution of a warn that was only emailed', () => {
    const outs = chain([{ now: at('14:07'), status: { pending_orders: 2 } }, { now: at('14:12') }]);
    expect(pageLevel(outs[1])).toBe('warn');
    expect(meetsFloor(pageLevel(outs[1]), 'critical')).toBe(false);
    expect(meetsFloor(pageLevel(outs[1]), 'warn')).toBe(true);
  });

  it('floors: escalate pages only escalations, critical adds criticals, warn pages everything', () => {
    expect(['escalate', 'critical', 'warn'].map((f) => meetsFloor('critical', f as never))).toEqual([
      false,
      true,
      true,
    ]);
    expect(meetsFloor(null, 'warn')).toBe(false);
  });
});

describe('the chat body', () => {
  it("is Chatbot's custom notification with the runbook's next steps", () => {
    const [out] = chain([{ now: at('16:07'), status: { stuck_exits: 1, unknown_fill: true } }]);
    const chat = JSON.parse(renderMessage(out).chat);
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: expect.stringMatching(/^CRITICAL aegis-pt/) },
      metadata: { threadId: 'aegis-pt-2026-06-01' },
    });
    expect(chat.content.nextSteps[0]).toMatch(/Stop and escalate/);
    expect(chat.content.description).toContain('*CRITICAL, ESCALATE* `stuck_exits`');
  });

  it('stays bounded and keeps operator text from breaking the markup', () => {
    const [out] = chain([{ now: at('14:07'), status: { pending_orders: 2 } }]);
    const many = {
      ...out,
      new_events: Array.from({ length: 400 }, (_, i) => ({
        ...out.new_events[0],
        code: `c${i}`,
        summary: '*x*'.repeat(20),
      })),
    };
    const chat = JSON.parse(renderChat(many, 't'));
    expect(chat.content.description.length).toBeLessThanOrEqual(3500);
    expect(chat.content.description).toMatch(/the email has everything\)$/);
    expect(chat.content.description).not.toContain('*x*');
  });
});
