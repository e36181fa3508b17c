// What the market state means for a deploy of the trading runtime, said in the gate's report.
import type { ClockInfo } from '../../lambda/detector/types';

export function marketStatement(phase: 'pre' | 'post', clock: ClockInfo): string {
  const s = clock.session;
  const when = `${clock.et} ET`;
  switch (clock.market) {
    case 'open':
      return `open (${when}, session until ${s?.close ?? '?'}): the runtime is trading; a deploy now replaces the task mid-session`;
    case 'pre_open':
      return phase === 'pre'
        ? `pre_open (${when}, opens ${s?.open ?? '?'}): no session yet; the deploy must be complete and the post gate GO before the open`
        : `pre_open (${when}, opens ${s?.open ?? '?'}): orders and market data are not exercised until the open; re-check after it`;
    case 'after_close':
      return `after_close (${when}, closed ${s?.close ?? '?'}): no trading until the next session; orders and market data are proven only then`;
    case 'closed':
      return `closed (${when}, no session today): no trading until the next session; orders and market data are proven only then`;
  }
}
