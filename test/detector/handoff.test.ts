// The hand-off's pure merge (detector/handoff*.ts) with the notification log: over any sequence of
// runs, some of which give up before storing (they leave what they saw) or publish and then cannot
// store (they leave what they told), no audience hears an occurrence twice at one level nor its end
// twice, and none misses an occurrence at the highest level any run saw, nor its end.
import fc from 'fast-check';
import { AUDIENCES, type Audience } from '../../lambda/detector/audiences';
import { handoffOf, parseHandoff, toldOf, type Handoff } from '../../lambda/detector/handoff';
import { advanceCursor } from '../../lambda/detector/handoff-cursor';
import { mergeHandoffs, mergeTold } from '../../lambda/detector/handoff-merge';
import { LEVEL_RANK, levelOf } from '../../lambda/detector/lifecycle';
import {
  dueFor,
  hasDue,
  owedAhead,
  recordTold,
  type AudienceLog,
  type AudiencePlan,
  type NotificationLog,
} from '../../lambda/detector/notification-log';
import type { DetectorEvent, DetectorOutput, Level } from '../../lambda/detector/types';

const SIGS = ['unknown_fill', 'pending_exits', 'stuck_exits'];
const LEVELS: Level[] = ['warn', 'critical', 'escalate'];
const PREFIX = 'state/handoff/';

type World = Readonly<Record<string, Level | undefined>>;
type Outcome = 'stored' | 'gave-up' | 'unconfirmed';

interface Run {
  readonly world: World;
  readonly outcome: Outcome;
  readonly failing: readonly Audience[];
}

const atMinute = (i: number) => new Date(Date.UTC(2026, 5, 1, 14, i, 0, 250)).toISOString();
const checkedAt = (iso: string) => `${iso.slice(0, 19)}Z`;

function event(sig: string, level: Level, firstSeen: string): DetectorEvent {
  return {
    code: sig,
    severity: level === 'warn' ? 'warn' : 'critical',
    escalate: level === 'escalate',
    signature: sig,
    summary: `${sig} is ${level}`,
    details: {},
    first_seen_at: firstSeen,
    consecutive: 1,
  };
}

/** A detector output for this run: every open occurrence declared (dueFor de-duplicates per audience). */
function outputOf(open: readonly DetectorEvent[], at: string): DetectorOutput {
  return {
    checked_at: checkedAt(at),
    events: open,
    new_events: open,
    resolved_events: [],
    info: [],
  } as unknown as DetectorOutput;
}

interface Said {
  readonly fired: Map<string, number>;
  readonly ended: Map<string, number>;
}

function hear(said: Said, a: Audience, plan: AudiencePlan): void {
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const e of plan.newEvents) bump(said.fired, `${a}|${e.signature}|${e.first_seen_at}|${levelOf(e)}`);
  for (const e of plan.resolvedEvents) {
    if (e.undelivered) bump(said.fired, `${a}|${e.signature}|${e.first_seen_at}|${levelOf(e)}`);
    bump(said.ended, `${a}|${e.signature}|${e.first_seen_at}`);
  }
}

/** Plays the runs against one stored snapshot and the hand-offs beside it; returns what each heard. */
function play(runs: readonly Run[], floors: Readonly<Record<Audience, Level>>) {
  let stored: { log: NotificationLog; cursor: { after: string; done: readonly string[] } } | null = null;
  const handoffs = new Map<string, Handoff>();
  const said: Said = { fired: new Map(), ended: new Map() };
  const seen = new Map<string, Level>();
  const firstSeen = new Map<string, string>();
  runs.forEach((run, i) => {
    const at = atMinute(i);
    for (const sig of SIGS) if (!run.world[sig]) firstSeen.delete(sig);
    const open = SIGS.flatMap((sig) => {
      const level = run.world[sig];
      if (!level) return [];
      if (!firstSeen.has(sig)) firstSeen.set(sig, checkedAt(at));
      const key = `${sig}|${firstSeen.get(sig)}`;
      if (!seen.has(key) || LEVEL_RANK[level] > LEVEL_RANK[seen.get(key)!]) seen.set(key, level);
      return [event(sig, level, firstSeen.get(sig)!)];
    });
    const output = outputOf(open, at);
    const cursor = stored?.cursor;
    const listed = [...handoffs.keys()].filter((k) => k > (cursor?.after ?? '')).sort();
    const handed = listed.filter((k) => !cursor?.done.includes(k)).map((k) => handoffs.get(k)!);
    const runId = `run${i}`;
    if (run.outcome === 'gave-up') {
      const doc = handoffOf(output, at, runId);
      if (doc.events.length > 0) handoffs.set(`${PREFIX}${at}-${runId}.json`, doc);
      return;
    }
    const told = mergeTold(stored?.log ?? {}, handed, AUDIENCES).log;
    const log = mergeHandoffs(told, handed, output, AUDIENCES, floors).log;
    const next = advanceCursor(cursor, listed, listed, PREFIX, Date.parse(at), 0);
    const plans = AUDIENCES.map((a) =>
      dueFor(a, output, log[a], { floor: floors[a], renotifyCriticalSec: 0 }),
    ).filter(hasDue);
    const ahead: Partial<Record<Audience, AudienceLog>> = { ...log };
    for (const p of plans) ahead[p.audience] = owedAhead(log[p.audience], p, output.checked_at);
    const after = { ...ahead };
    const ok = plans.filter((p) => !run.failing.includes(p.audience));
    for (const p of ok) {
      after[p.audience] = recordTold(ahead[p.audience], p, output.checked_at, at);
      hear(said, p.audience, p);
    }
    if (run.outcome === 'stored') stored = { log: after, cursor: next };
    else {
      stored = { log: ahead, cursor: next };
      if (ok.length > 0) handoffs.set(`${PREFIX}${at}-${runId}.json`, toldOf(ok, after, at, runId));
    }
  });
  return { said, seen };
}

const world: fc.Arbitrary<World> = fc.record(
  Object.fromEntries(SIGS.map((s) => [s, fc.constantFrom<Level | undefined>(undefined, ...LEVELS)])),
);
const run: fc.Arbitrary<Run> = fc.record({
  world,
  outcome: fc.constantFrom<Outcome>('stored', 'gave-up', 'unconfirmed'),
  failing: fc.subarray([...AUDIENCES]),
});
const clean = (w: World): Run => ({ world: w, outcome: 'stored', failing: [] });
const CLEAR: World = {};

describe('hand-offs merged into the notification log (property)', () => {
  it('no audience is told an occurrence twice at one level, nor its end twice; none is lost', () => {
    fc.assert(
      fc.property(
        fc.array(run, { minLength: 1, maxLength: 14 }),
        fc.constantFrom<Level>('warn', 'critical'),
        (runs, pageFloor) => {
          const floors = { page: pageFloor, email: 'warn', chat: 'warn' } as const;
          // Then every audience works again and the world clears: what is owed is told by then.
          const last = runs[runs.length - 1].world;
          const { said, seen } = play([...runs, clean(last), clean(CLEAR), clean(CLEAR)], floors);
          for (const [k, n] of [...said.fired, ...said.ended]) expect([k, n]).toEqual([k, 1]);
          for (const [occ, level] of seen)
            for (const a of AUDIENCES) {
              if (LEVEL_RANK[level] < LEVEL_RANK[floors[a]]) continue;
              expect([a, occ, level, said.fired.has(`${a}|${occ}|${level}`)]).toEqual([a, occ, level, true]);
              expect([a, occ, 'end', said.ended.get(`${a}|${occ}`)]).toEqual([a, occ, 'end', 1]);
            }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('hand-off documents', () => {
  const open = [event('unknown_fill', 'critical', '2026-06-01T14:00:00Z')];
  const at = '2026-06-01T14:01:00.250Z';

  it('round-trips what a run saw and what it told', () => {
    const seenDoc = handoffOf(outputOf(open, at), at, 'r1');
    expect(parseHandoff(JSON.parse(JSON.stringify(seenDoc)))).toEqual(seenDoc);
    const plan = dueFor('page', outputOf(open, at), undefined, { floor: 'warn', renotifyCriticalSec: 0 });
    const after = { page: recordTold(undefined, plan, checkedAt(at), at) };
    const toldDoc = toldOf([plan], after, at, 'r1');
    expect(toldDoc.told?.page?.told.map((t) => [t.signature, t.level])).toEqual([
      ['unknown_fill', 'critical'],
    ]);
    expect(parseHandoff(JSON.parse(JSON.stringify(toldDoc)))).toEqual(toldDoc);
  });

  it.each([
    ['another schema', { schema: 'x', observed_at: at, events: [] }, /not a hand-off/],
    ['no time', { schema: 'aegis-pt-health/handoff/v1', events: [] }, /observation time/],
    [
      'a foreign audience',
      { ...handoffOf(outputOf([], at), at, 'r'), told: { pager: { told: [], ended: [] } } },
      /audience/,
    ],
    [
      'a told entry without level',
      { ...handoffOf(outputOf([], at), at, 'r'), told: { page: { told: [{ ...open[0] }], ended: [] } } },
      /malformed/,
    ],
    [
      'too many ends',
      { ...handoffOf(outputOf([], at), at, 'r'), told: { page: { told: [], ended: Array(51).fill({}) } } },
      /more than 50/,
    ],
  ])('refuses %s', (_, doc, problem) => {
    const parsed = parseHandoff(doc);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });

  it('a told hand-off read after its end was told adds nothing back (it would be told ended twice)', () => {
    const out = outputOf(open, at);
    const plan = dueFor('email', out, undefined, { floor: 'warn', renotifyCriticalSec: 0 });
    const told = recordTold(undefined, plan, checkedAt(at), at);
    const doc = toldOf([plan], { email: told }, at, 'r1');
    const later = '2026-06-01T14:03:00.000Z';
    const gone = outputOf([], later);
    const endPlan = dueFor('email', gone, told, { floor: 'warn', renotifyCriticalSec: 0 });
    const ended = recordTold(told, endPlan, checkedAt(later), later);
    const merged = mergeTold({ email: ended }, [doc], ['email']).log;
    expect(merged.email?.told).toEqual({});
    expect(hasDue(dueFor('email', gone, merged.email, { floor: 'warn', renotifyCriticalSec: 0 }))).toBe(
      false,
    );
  });
});
