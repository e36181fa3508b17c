// The delivery invariant (contract 4, "Delivery") over generated sequences of observations and faults:
// every event that was ever due reaches the operators at least once (told, or told as having cleared
// before it could be), and every told event's resolution reaches them at least once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FsStore } from '../../lambda/adapters/fs-store';
import { DEFAULT_CONFIG } from '../../lambda/detector/config';
import { createHandler } from '../../lambda/handler';
import type { CheckDeps, DashboardSource, StateStore, StoredSnapshot } from '../../lambda/ports';
import { ScriptedEcs } from '../../lib/demo/fakes/static-sources';
import { HEALTHY } from '../helpers/bundle';
import { MemoryLog, payloadAt, RecordingMetrics, RecordingNotifier } from '../helpers/check-deps';

/** Conditions a step can show; each maps to one event signature. */
const CONDITIONS: Record<string, [Record<string, unknown>, string]> = {
  fill: [{ unknown_fill: true }, 'unknown_fill'],
  stuck: [{ stuck_exits: 1 }, 'stuck_exits'],
  exits: [{ pending_exits: 1 }, 'pending_exits'], // warn, rises to critical when persisted
  broker: [{ broker_reconcile_pending: true }, 'reconcile_pending:broker_reconcile_pending'],
  position: [{ position_reconcile_pending: true }, 'reconcile_pending:position_reconcile_pending'],
};

interface Step {
  readonly on: string[];
  readonly publishFails: boolean;
  /** The publish fails and so does the write that releases the claim: it is left, as by a run that died. */
  readonly markFails: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  on: fc.subarray(Object.keys(CONDITIONS)),
  publishFails: fc.boolean(),
  markFails: fc.boolean(),
});

class ScriptedDashboard implements DashboardSource {
  payload: unknown = {};
  async fetch() {
    return { payload: this.payload };
  }
}

/** A store whose write releasing a claim (the one after the publish) can be made to fail. */
function faultyStore(store: StateStore, fail: { mark: boolean }): StateStore {
  let claimed = false;
  return {
    readLatest: () => store.readLatest(),
    writeLatest: async (s: StoredSnapshot, etag: string | null) => {
      const releasing = claimed && !s.claim;
      claimed = !!s.claim;
      if (fail.mark && releasing) throw new Error('S3 is unavailable');
      return store.writeLatest(s, etag);
    },
    writeRun: (r) => store.writeRun(r),
    listRuns: (r) => store.listRuns(r),
  };
}

async function play(steps: readonly Step[]) {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-invariant-'));
  const notifier = new RecordingNotifier();
  const dashboard = new ScriptedDashboard();
  const fail = { mark: false };
  const clock = { ms: Date.parse('2026-06-01T14:02:00Z') };
  const deps: CheckDeps = {
    dashboard,
    ecs: new ScriptedEcs(structuredClone(HEALTHY.ecs)),
    store: faultyStore(new FsStore(dir), fail),
    notifier,
    metrics: new RecordingMetrics(),
    clock: { now: () => new Date(clock.ms) },
    config: DEFAULT_CONFIG,
    log: new MemoryLog(),
    sleep: async () => undefined,
  };
  const handler = createHandler(deps);
  const due = new Set<string>();
  const told = new Set<string>();
  const toldResolved = new Set<string>();
  const missed = new Set<string>();
  // Faults on the generated steps, then two clean healthy runs: the invariant is about what has
  // reached the operators once the faults have passed.
  const all = [
    ...steps,
    { on: [], publishFails: false, markFails: false },
    { on: [], publishFails: false, markFails: false },
  ];
  for (const s of all) {
    clock.ms += 5 * 60_000;
    const iso = new Date(clock.ms).toISOString();
    dashboard.payload = payloadAt(iso, Object.assign({}, ...s.on.map((k) => CONDITIONS[k][0])));
    notifier.failures = s.publishFails ? 1 : 0;
    fail.mark = s.publishFails && s.markFails;
    const before = notifier.sent.length;
    try {
      const result = await handler({ trigger: 'schedule:primary' });
      for (const sig of result.new_events) due.add(sig);
      if (notifier.sent.length > before) {
        const m = notifier.sent.at(-1)!;
        for (const sig of result.new_events) {
          told.add(sig);
          expect(m.email).toContain(sig.split(':')[0]);
        }
        const last = JSON.parse(JSON.stringify(result));
        for (const sig of last.resolved_events as string[]) {
          toldResolved.add(sig);
          expect(m.sms).toContain(sig.split(':')[0]);
        }
        if (m.email.includes('cleared before it could be told'))
          for (const sig of last.resolved_events as string[]) missed.add(sig);
      }
    } catch (err) {
      expect(String(err)).toMatch(/SNS is unavailable/);
    }
  }
  return { due, told, toldResolved, missed, sent: notifier.sent.length };
}

describe('delivery invariant over generated sequences', () => {
  it('every due event is told (or told as cleared-before-told), every told event is told resolved', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const { due, told, toldResolved } = await play(steps);
        for (const sig of due) expect(told.has(sig) || toldResolved.has(sig)).toBe(true);
        // The sequence ends healthy: whatever was told has been told resolved.
        for (const sig of told) expect(toldResolved.has(sig)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('without faults, each condition is told exactly once and resolved exactly once', async () => {
    const steps: Step[] = [
      { on: ['fill'], publishFails: false, markFails: false },
      { on: ['fill', 'broker'], publishFails: false, markFails: false },
      { on: ['broker'], publishFails: false, markFails: false },
    ];
    const { told, toldResolved, sent } = await play(steps);
    expect([...told].sort()).toEqual(['reconcile_pending:broker_reconcile_pending', 'unknown_fill']);
    expect([...toldResolved].sort()).toEqual([...told].sort());
    // fill new; broker new; fill resolved with broker escalating (one message); broker resolved.
    expect(sent).toBe(4);
  });

  it('a fill whose publish failed and that cleared before the next run is told as missed', async () => {
    const { missed, told } = await play([{ on: ['fill'], publishFails: true, markFails: false }]);
    expect(told.has('unknown_fill')).toBe(false);
    expect([...missed]).toEqual(['unknown_fill']);
  });
});
