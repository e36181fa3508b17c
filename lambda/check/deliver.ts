// Stage "deliver": claim the delivery on the snapshot, publish, then confirm (or mark it failed).
import { hasNews, renderMessage } from '../detector/messages';
import { formatUtc } from '../detector/time';
import type { DetectorOutput } from '../detector/types';
import type { CheckDeps, StoredSnapshot } from '../ports';

/**
 * Publishing comes before advancing the snapshot: a failed publish fails the run and leaves the
 * snapshot marked undelivered, so the next run notifies again (twice at worst, never zero). A
 * conditional write claims the delivery first, so an overlapping run sees the claim and waits.
 */
export async function deliver(
  deps: Pick<CheckDeps, 'store' | 'notifier' | 'clock' | 'log'>,
  output: DetectorOutput,
  etag: string | null,
  runId: string,
): Promise<boolean> {
  if (!hasNews(output)) {
    await deps.store.writeLatest({ output }, etag);
    return false;
  }
  const claim = (state: 'pending' | 'failed'): StoredSnapshot => ({
    output,
    delivery: { state, run_id: runId, claimed_at: formatUtc(deps.clock.now().getTime()) },
  });
  const claimEtag = await deps.store.writeLatest(claim('pending'), etag);
  try {
    await deps.notifier.publish(renderMessage(output));
  } catch (err) {
    deps.log.error('publish failed; the snapshot stays undelivered so the next run notifies again', {
      error: (err as Error).message,
    });
    await deps.store.writeLatest(claim('failed'), claimEtag).catch((markErr: unknown) => {
      // The pending claim stays; it expires and the next run re-delivers.
      deps.log.warn('could not mark the delivery failed', { error: (markErr as Error).message });
    });
    throw err;
  }
  await deps.store.writeLatest({ output }, claimEtag).catch((err: unknown) => {
    // Published already: a lost confirmation only risks one more notification later, never none.
    deps.log.warn('could not confirm the delivery on the snapshot', { error: (err as Error).message });
  });
  return true;
}
