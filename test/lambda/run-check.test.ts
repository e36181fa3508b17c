import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FsStore } from '../../lambda/adapters/fs-store';
import { createHandler } from '../../lambda/handler';
import { startDashboard, type LocalDashboard } from '../../lib/demo/fakes/dashboard-server';
import type { RunRecord } from '../../lambda/detector/types';
import { WriteConflictError, type LatestRead, type StoredSnapshot } from '../../lambda/ports';
import { localDeps, payloadAt, type LocalDeps } from '../helpers/check-deps';

let dash: LocalDashboard;
beforeAll(async () => {
  dash = await startDashboard();
});
afterAll(() => dash.close());

const PRIMARY = { trigger: 'schedule:primary' };

function at(deps: LocalDeps, iso: string, changes: Record<string, unknown> = {}) {
  deps.clockAt.iso = iso;
  dash.serve({ kind: 'json', body: payloadAt(iso, changes) });
}

describe('the check sequence on local parts', () => {
  it('observes quietly when healthy, and records the run', async () => {
    const deps = localDeps(dash.url);
    at(deps, '2026-06-01T14:07:00Z');
    const result = await createHandler(deps)(PRIMARY);
    expect(result).toMatchObject({ decision: 'observe', notified: false, trigger: 'schedule:primary' });
    expect(result.run_key).toMatch(
      /^runs\/2026\/06\/01\/2026-06-01T14:07:00Z-schedule:primary-[0-9a-f]{12}\.json$/,
    );
    expect(deps.notifier.sent).toEqual([]);
    const record = JSON.parse(readFileSync(join(deps.dir, result.run_key), 'utf8'));
    expect(record).toMatchObject({
      checked_at: '2026-06-01T14:07:00Z',
      trigger: { trigger: 'schedule:primary' },
    });
    expect(deps.metrics.runs).toHaveLength(1);
  });

  it('notifies a new event once, then stays quiet while it lasts, then notifies its resolution', async () => {
    const deps = localDeps(dash.url);
    const handler = createHandler(deps);
    at(deps, '2026-06-01T14:07:00Z', { pending_orders: 2 });
    expect((await handler(PRIMARY)).notified).toBe(true);
    at(deps, '2026-06-01T14:12:00Z', { pending_orders: 2 });
    expect((await handler({ trigger: 'schedule:fallback' })).notified).toBe(false);
    at(deps, '2026-06-01T14:17:00Z');
    const resolved = await handler(PRIMARY);
    expect(resolved).toMatchObject({ notified: true, resolved_events: ['pending_order_buildup'] });
    expect(deps.notifier.sent.map((m) => m.subject)).toEqual([
      'WARN aegis-pt 1 new: pending_order_buildup -> notify',
      'RESOLVED aegis-pt 1 resolved: pending_order_buildup -> observe',
    ]);
  });

  it('publish fails: the run fails, the snapshot is not advanced, and the alert arrives exactly on the next run', async () => {
    const deps = localDeps(dash.url);
    const handler = createHandler(deps);
    at(deps, '2026-06-01T14:07:00Z', { stuck_exits: 1 });
    deps.notifier.failures = 1;
    await expect(handler(PRIMARY)).rejects.toThrow('SNS is unavailable');
    expect(deps.notifier.sent).toEqual([]);
    const stored = JSON.parse(readFileSync(join(deps.dir, 'state/latest.json'), 'utf8'));
    // The audience that was not told still owes it; no claim is left behind.
    expect(Object.keys(stored.nflog.email.owed)).toEqual(['stuck_exits']);
    expect(stored.nflog.email.told).toEqual({});
    expect(stored.claim).toBeUndefined();
    at(deps, '2026-06-01T14:12:00Z', { stuck_exits: 1 });
    const retry = await handler({ trigger: 'schedule:fallback' });
    expect(retry).toMatchObject({ notified: true, new_events: ['stuck_exits'] });
    expect(deps.notifier.sent).toHaveLength(1);
    at(deps, '2026-06-01T14:17:00Z', { stuck_exits: 1 });
    expect((await handler(PRIMARY)).notified).toBe(false);
    expect(deps.notifier.sent).toHaveLength(1);
  });

  it('a failed publish of a resolution is told again on the next run', async () => {
    const deps = localDeps(dash.url);
    const handler = createHandler(deps);
    at(deps, '2026-06-01T14:07:00Z', { unknown_fill: true });
    await handler(PRIMARY);
    at(deps, '2026-06-01T14:12:00Z');
    deps.notifier.failures = 1;
    await expect(handler(PRIMARY)).rejects.toThrow();
    at(deps, '2026-06-01T14:17:00Z');
    expect(await handler(PRIMARY)).toMatchObject({ notified: true, resolved_events: ['unknown_fill'] });
  });

  it('recovers from a corrupt snapshot: no previous output, an info item, a clean snapshot after', async () => {
    const deps = localDeps(dash.url);
    mkdirSync(join(deps.dir, 'state'), { recursive: true });
    writeFileSync(join(deps.dir, 'state/latest.json'), '{"schema": "aegis-pt-health/v1", "trunc');
    at(deps, '2026-06-01T14:07:00Z');
    const result = await createHandler(deps)(PRIMARY);
    expect(result.decision).toBe('observe');
    const stored = JSON.parse(readFileSync(join(deps.dir, 'state/latest.json'), 'utf8'));
    expect(stored.info.map((i: { code: string }) => i.code)).toEqual(['snapshot_recovered']);
    expect(deps.log.lines.some((l) => l.message.startsWith('check observe'))).toBe(true);
  });

  it('re-reads and re-runs dedup when another run wrote the snapshot in between', async () => {
    const store = new FsStore(localDeps(dash.url).dir);
    let intercept = true;
    const racing = {
      readLatest: async (): Promise<LatestRead> => {
        const read = await store.readLatest();
        if (intercept) {
          intercept = false;
          // Another run notified stuck_exits and wrote its snapshot right after our read.
          const other = localDeps(dash.url, { store });
          at(other, '2026-06-01T14:07:00Z', { stuck_exits: 1 });
          await createHandler(other)(PRIMARY);
          at(other, '2026-06-01T14:07:30Z', { stuck_exits: 1 });
        }
        return read;
      },
      writeLatest: (s: StoredSnapshot, etag: string | null) => store.writeLatest(s, etag),
      writeRun: store.writeRun.bind(store),
      listRuns: store.listRuns.bind(store),
    };
    const deps = localDeps(dash.url, { store: racing });
    at(deps, '2026-06-01T14:07:30Z', { stuck_exits: 1 });
    const result = await createHandler(deps)(PRIMARY);
    expect(result).toMatchObject({ notified: false, new_events: [] });
    expect(deps.notifier.sent).toEqual([]);
    expect(deps.log.lines.some((l) => l.message.startsWith('snapshot changed under this run'))).toBe(true);
  });

  it('gives up at its deadline after repeated conflicts, still writing its run record (the invocation fails and is retried)', async () => {
    const records: RunRecord[] = [];
    const deps = localDeps(dash.url, {
      store: {
        readLatest: async () => ({ snapshot: null, etag: null }),
        writeLatest: async () => {
          throw new WriteConflictError();
        },
        writeRun: async (r) => {
          records.push(r);
          return 'x';
        },
        listRuns: async () => ({ records: [], skipped: [] }),
      },
    });
    at(deps, '2026-06-01T14:07:00Z', { stuck_exits: 1 });
    // Patience is the run's time budget, not a count of attempts.
    await expect(createHandler(deps)(PRIMARY, { getRemainingTimeInMillis: () => 7_000 })).rejects.toThrow(
      /could not store the snapshot in \d+ attempt\(s\) of overlapping runs/,
    );
    expect(records).toHaveLength(1);
    expect(records[0].info.map((i) => i.code)).toContain('snapshot_not_stored');
    expect(records[0].events.map((e) => e.code)).toEqual(['stuck_exits']);
  });

  it('carries an ECS event reason into the output and the email', async () => {
    const deps = localDeps(dash.url);
    at(deps, '2026-06-01T14:07:00Z', { stuck_exits: 1 });
    const event = JSON.parse(
      readFileSync(
        join(__dirname, '../../../shared/spec/examples/ecs-events/ecs-task-state-change.stopped.json'),
        'utf8',
      ),
    );
    const result = await createHandler(deps)(event);
    expect(result.trigger).toBe('ecs-event');
    expect(deps.notifier.sent[0].email).toContain(
      'Trigger: ecs-event: task 6f1c2d3e4b5a49788d0e1f2a3b4c5d6e STOPPED',
    );
    expect(deps.metrics.runs[0].trigger.trigger).toBe('ecs-event');
  });
});
