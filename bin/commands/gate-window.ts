// The deploy window around `gate`: --window on a GO pre gate opens it; post closes it, lists what it
// held back. Kept apart from the gate's own verdict logic (the clean checks after the deploy are a gate
// criterion: gate-rollout.ts).
import { formatUtc } from '../../lambda/detector/time';
import { parseDetectorConfig } from '../../lambda/detector/config';
import {
  DEFAULT_DEPLOY_WINDOW_MS,
  MAX_DEPLOY_WINDOW_MS,
  silenceEndMs,
  spanText,
  type Silence,
} from '../../lambda/detector/silences';
import type { ObservationBundle } from '../../lambda/detector/types';
import type { RunListing, RunRange, SilenceStore, StateStore } from '../../lambda/ports';
import { closeWindow, heldCriterion, openWindow } from '../../lib/ops/deploy-window';
import { withCriteria, type Criterion, type GateReport } from '../../lib/ops/gate';
import { parseDuration, SilenceError } from '../../lib/ops/silences';
import { UsageError, type CliIo } from './io';
import { operatorStamp } from './operator-identity';
import type { SourceValues } from './ops-sources';

export const GATE_WINDOW_HELP = `Deploy window: --window 30m (at most 2h; --window default is 30m) on a GO pre gate silences, until
the post gate or the window's end and never past the session close, only what a task replacement causes
(primary count, gateway, trader, dashboard unreachable, stale heartbeat, a heartbeat naming the replaced
task): a stuck exit or an unknown fill still pages. The monitor enforces the same bounds on every check.
Its id goes into the baseline; post closes it and lists what it held back (the clean scheduled checks
after the deploy are the gate's own criterion). A window that ends without a post gate is told to the operators with
what it held back. The silences and run records are read with --runs-dir, --bucket or --stack.`;

interface WindowInput {
  readonly phase: 'pre' | 'post';
  readonly report: GateReport;
  readonly values: SourceValues & { readonly window?: string; readonly by?: string };
  readonly baseline?: ObservationBundle & { readonly deploy_window?: Silence };
  readonly deployedAtMs?: number;
}

interface Sources {
  runStore(values: SourceValues): Promise<StateStore>;
  listRuns(store: StateStore, range: RunRange, io: CliIo): Promise<RunListing>;
}

/** `--window 45m` (at most 2 h), or `--window default` (30 min). */
export function windowDuration(text: string): number {
  if (text === 'default') return DEFAULT_DEPLOY_WINDOW_MS;
  const ms = parseDuration('--window', text);
  if (ms > MAX_DEPLOY_WINDOW_MS)
    throw new UsageError(
      `--window ${text}: a deploy window lasts at most ${spanText(MAX_DEPLOY_WINDOW_MS)} (default ${spanText(DEFAULT_DEPLOY_WINDOW_MS)}), and never past the session close`,
    );
  return ms;
}

export async function windowAfterGate(
  input: WindowInput,
  io: CliIo,
  sources: Sources,
): Promise<{ report: GateReport; window?: Silence }> {
  const { phase, report, values } = input;
  const nowMs = io.now().getTime();
  const closures = parseDetectorConfig(io.env).marketClosures;
  try {
    if (phase === 'pre') {
      if (values.window === undefined) return { report };
      const duration = windowDuration(values.window);
      if (report.verdict !== 'go') {
        io.stderr(`no deploy window opened: the verdict is ${report.verdict.toUpperCase()}\n`);
        return { report };
      }
      const store = (await sources.runStore(values)) as unknown as SilenceStore;
      // Stamped with AWS's time: the monitor judges the window's created_at by its own clock.
      const stamp = await operatorStamp(values, io);
      const { window, clippedAt } = await openWindow(store, stamp.nowMs, duration, stamp.by, closures);
      const cut = clippedAt === undefined ? '' : ', cut at the session close';
      io.stderr(
        `deploy window ${window.id} open until ${window.ends_at}${cut} (${window.codes.join(', ')})\n`,
      );
      return { report, window };
    }
    if (values.window !== undefined) throw new UsageError('--window is for --phase pre');
    const opened = input.baseline?.deploy_window;
    if (!opened) return { report };
    // Post closes the window whatever its verdict: the deploy is over, and with it the reason to hold back.
    const store = await sources.runStore(values);
    const closing = await closeOrSay(store as unknown as SilenceStore, opened, values, io, nowMs);
    const window = closing.window;
    const listing = await sources.listRuns(store, { from: window.starts_at, to: formatUtc(nowMs) }, io);
    const held = heldCriterion(listing.records, window);
    return { report: withCriteria(report, closing.criterion ? [held, closing.criterion] : [held]), window };
  } catch (err) {
    if (err instanceof SilenceError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Closes the window; when it cannot be (the silences file unreadable or not writable by this identity),
 * the post verdict is still given, and cannot be GO while the window may still hold back: a criterion
 * says so and how to close it by hand.
 */
async function closeOrSay(
  store: SilenceStore,
  opened: Silence,
  values: WindowInput['values'],
  io: CliIo,
  nowMs: number,
): Promise<{ window: Silence; criterion?: Criterion }> {
  try {
    const stamp = await operatorStamp(values, io);
    const window = await closeWindow(store, opened, stamp.by, stamp.nowMs);
    io.stderr(`deploy window ${window.id} closed (${window.expired_at ?? window.ends_at})\n`);
    return { window };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const open = silenceEndMs(opened) > nowMs;
    return {
      window: opened,
      criterion: {
        name: `deploy window ${opened.id} closed`,
        outcome: open ? 'warn' : 'pass',
        seen: open
          ? `not closed (${why}); it holds back until ${opened.ends_at} unless expired: silence expire ${opened.id}`
          : `it ended at ${formatUtc(silenceEndMs(opened))}; not marked closed (${why}): the monitor tells it as unclosed`,
      },
    };
  }
}
