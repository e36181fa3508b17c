import fc from 'fast-check';
import { detect } from '../../lambda/detector/detect';
import { isDetectorOutput } from '../../lambda/detector/previous';
import { STATUS_FIELD_NAMES } from '../../lambda/detector/status-schema';
import { bundle } from '../helpers/bundle';

const base = bundle();
const healthyStatus = base.status_v3 as Record<string, unknown>;

/** Arbitrary JSON, and payloads that keep the real field names with arbitrary values in them. */
const anyJson = fc.jsonValue({ maxDepth: 4 });
const fieldValue = fc.oneof(
  anyJson,
  fc.integer({ min: -5, max: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const mutatedStatus = fc
  .dictionary(fc.constantFrom(...STATUS_FIELD_NAMES), fieldValue, { maxKeys: 8 })
  .map((changes) => ({ ...healthyStatus, ...changes }));
const status = fc.oneof(anyJson, mutatedStatus);
const ecs = fc.oneof(
  anyJson,
  fc.record({ service: anyJson, tasks: anyJson, stopped_tasks: anyJson }),
  fc.constant(base.ecs),
);
const now = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

describe('detect properties', () => {
  it('returns a valid output and never throws for arbitrary JSON in status_v3 and the ECS observation', () => {
    fc.assert(
      fc.property(status, ecs, now, (s, e, n) => {
        const out = detect({ now: n, status_v3: s, ecs: e, previous: null });
        expect(isDetectorOutput(out)).toBe(true);
        expect(['observe', 'notify', 'escalate']).toContain(out.decision);
        expect(out.new_events.length).toBeLessThanOrEqual(out.events.length);
        for (const ev of out.events) expect(ev.consecutive).toBe(1);
        // Round-trips through JSON (what the store and the CLI do) unchanged.
        expect(JSON.parse(JSON.stringify(out))).toEqual(out);
      }),
      { numRuns: 400 },
    );
  });

  it('running the same bundle twice with the first output as previous never yields new events', () => {
    fc.assert(
      fc.property(status, ecs, now, (s, e, n) => {
        const b = { now: n, status_v3: s, ecs: e };
        const first = detect(b);
        const second = detect({ ...b, previous: JSON.parse(JSON.stringify(first)) });
        expect(second.new_events).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('a later run of the same condition never re-notifies a warning', () => {
    fc.assert(
      fc.property(mutatedStatus, fc.integer({ min: 1, max: 900 }), (s, gapSec) => {
        const n1 = '2026-06-01T15:00:00Z';
        const n2 = new Date(Date.parse(n1) + gapSec * 1000).toISOString();
        const first = detect({ now: n1, status_v3: s, ecs: base.ecs });
        const second = detect({ now: n2, status_v3: s, ecs: base.ecs, previous: first });
        const before = new Map(first.events.map((ev) => [ev.signature, ev]));
        for (const ev of second.new_events) {
          const prior = before.get(ev.signature);
          // Only a severity rise or a fresh escalation may re-notify a known condition.
          if (prior) expect(ev.severity !== prior.severity || ev.escalate !== prior.escalate).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
