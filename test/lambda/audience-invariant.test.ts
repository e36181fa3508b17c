// The delivery invariant per audience (issue #25), over generated sequences of observations, publish
// failures per audience, overlapping runs and silences: every event due to an audience reaches it at
// least once (told, or told as cleared before it could be); an audience that succeeded is not told the
// same thing again; every told event's resolution reaches whoever heard it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FsStore } from '../../lambda/adapters/fs-store';
import { AUDIENCES, type Audience } from '../../lambda/detector/audiences';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { levelOf, LEVEL_RANK } from '../../lambda/detector/lifecycle';
import type { NotificationMessage } from '../../lambda/detector/types';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps, DashboardSource, Notifier } from '../../lambda/ports';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics } from '../helpers/check-deps';

const CONDITIONS: Record<string, Record<string, unknown>> = {
  unknown_fill: { unknown_fill: true }, // critical, escalates
  stuck_exits: { stuck_exits: 1 }, // critical, escalates
  pending_exits: { pending_exits: 1 }, // warn, critical when persisted
  pending_order_buildup: { pending_orders: 2 }, // warn
};
const CODES = Object.keys(CONDITIONS);

interface Step {
  readonly on: string[];
  /** Audiences whose publish fails at this step. */
  readonly failing: Audience[];
  /** A second run overlaps this one (another trigger, a moment later). */
  readonly overlap: boolean;
  /** Codes silenced during this step only (the silence ends before the next). */
  readonly silenced: string[];
}

const step: fc.Arbitrary<Step> = fc.record({
  on: fc.subarray(CODES),
  failing: fc.subarray([...AUDIENCES]),
  overlap: fc.boolean(),
  silenced: fc.oneof(fc.constant([] as string[]), fc.subarray(CODES, { maxLength: 2 })),
});

class ScriptedDashboard implements DashboardSource {
  payload: unknown = {};
  async fetch() {
    return { payload: this.payload };
  }
}

interface Heard {
  readonly fresh: string[];
  readonly resolved: string[];
}

/** Codes a message tells as new, and as resolved or missed (the email's code lines). */
function heardIn(m: NotificationMessage): Heard {
  const codes = (label: string) =>
    m.email
      .split('\n')
      .find((l) => l.startsWith(label))
      ?.slice(label.length)
      .split(', ')
      .filter(Boolean) ?? [];
  return {
    fresh: codes('New codes: '),
    resolved: [...codes('Resolved codes: '), ...codes('Appeared and cleared before they could be told: ')],
  };
}

class FailingNotifier implements Notifier {
  readonly audiences = AUDIENCES;
  failing = new Set<Audience>();
  readonly heard: Record<Audience, Heard[]> = { page: [], email: [], chat: [] };

  async publish(audience: Audience, message: NotificationMessage): Promise<void> {
    if (this.failing.has(audience)) throw new Error(`${audience} topic is unavailable`);
    this.heard[audience].push(heardIn(message));
  }
}

async function play(steps: readonly Step[]) {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-audiences-'));
  const store = new FsStore(dir);
  const notifier = new FailingNotifier();
  const dashboard = new ScriptedDashboard();
  const clock = { ms: Date.parse('2026-06-01T14:02:00Z') };
  const deps: CheckDeps = {
    dashboard,
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    store,
    silences: store,
    notifier,
    metrics: new RecordingMetrics(),
    clock: { now: () => new Date(clock.ms) },
    config: DEFAULT_CONFIG,
    log: new MemoryLog(),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
  };
  const handler = createHandler(deps);
  /** Per audience: codes due to it (at its floor, not silenced) at some run. */
  const due: Record<Audience, Set<string>> = { page: new Set(), email: new Set(), chat: new Set() };
  let silenceSeq = 0;
  const all: Step[] = [
    ...steps,
    { on: [], failing: [], overlap: false, silenced: [] },
    { on: [], failing: [], overlap: false, silenced: [] },
  ];
  for (const s of all) {
    clock.ms += 5 * 60_000;
    const iso = new Date(clock.ms).toISOString();
    const silences = s.silenced.length
      ? [
          {
            id: `s-${++silenceSeq}`,
            codes: s.silenced,
            starts_at: new Date(clock.ms - 60_000).toISOString(),
            ends_at: new Date(clock.ms + 4 * 60_000).toISOString(),
            reason: 'generated',
            created_by: 'test',
            created_at: new Date(clock.ms - 60_000).toISOString(),
            include_escalations: true,
          },
        ]
      : [];
    const current = await store.readSilences();
    await store.writeSilences(silences, current.etag);
    dashboard.payload = payloadAt(iso, Object.assign({}, ...s.on.map((k) => CONDITIONS[k])));
    notifier.failing = new Set(s.failing);
    const runs = [handler({ trigger: 'schedule:primary' })];
    if (s.overlap) runs.push(handler({ trigger: 'manual' }));
    await Promise.allSettled(runs);
  }
  const { records } = await store.listRuns({ from: '2026-06-01T00:00:00Z', to: '2026-06-02T00:00:00Z' });
  for (const r of records)
    for (const e of r.new_events)
      for (const a of AUDIENCES)
        if (a !== 'page' || LEVEL_RANK[levelOf(e)] >= LEVEL_RANK.critical) due[a].add(e.code);
  return { due, heard: notifier.heard };
}

describe('the delivery invariant per audience', () => {
  it('every due event reaches every routed audience, none twice without cause, resolutions likewise', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const { due, heard } = await play(steps);
        for (const a of AUDIENCES) {
          const fresh = heard[a].flatMap((h) => h.fresh);
          const resolved = heard[a].flatMap((h) => h.resolved);
          // Every due event reached this audience: told, or told as having cleared before it could be.
          for (const code of due[a])
            expect([a, code, fresh.includes(code) || resolved.includes(code)]).toEqual([a, code, true]);
          // The sequence ends healthy: whatever this audience heard start, it heard end.
          for (const code of fresh) expect([a, code, resolved.includes(code)]).toEqual([a, code, true]);
          // Never told as new twice in a row without its end between, except a rise or a silence ending:
          // at most three news per episode here (new, risen, released), never two identical in one run.
          for (const h of heard[a]) expect(new Set(h.fresh).size).toBe(h.fresh.length);
          for (const code of CODES) {
            let open = 0;
            for (const h of heard[a]) {
              if (h.fresh.includes(code)) open++;
              if (h.resolved.includes(code)) open = 0;
              expect([a, code, open <= 3]).toEqual([a, code, true]);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 300_000);

  it('without faults or overlaps, each audience hears each event once and its end once', async () => {
    const steps: Step[] = [
      { on: ['unknown_fill'], failing: ['page'], overlap: false, silenced: [] },
      { on: ['unknown_fill'], failing: [], overlap: true, silenced: [] },
      { on: ['unknown_fill'], failing: [], overlap: true, silenced: [] },
    ];
    const { heard } = await play(steps);
    for (const a of AUDIENCES) {
      expect([a, heard[a].flatMap((h) => h.fresh)]).toEqual([a, ['unknown_fill']]);
      expect([a, heard[a].flatMap((h) => h.resolved)]).toEqual([a, ['unknown_fill']]);
    }
  });
});
