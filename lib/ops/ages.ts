// Ages as an operator reads them: "45s", "12 min", "5.5 h", "187 days", never "16166415s".

const MIN_S = 60;
const HOUR_S = 3_600;
const DAY_S = 86_400;

/**
 * A duration in seconds, in the largest unit that keeps it readable; plain seconds up to
 * `secondsUpTo` (where it is compared with a limit given in seconds).
 */
export function formatDuration(seconds: number, secondsUpTo = 2 * MIN_S - 1): string {
  const s = Math.abs(Math.round(seconds));
  if (s <= secondsUpTo) return `${s}s`;
  if (s < 2 * HOUR_S) return `${Math.round(s / MIN_S)} min`;
  if (s < 2 * DAY_S) return `${(s / HOUR_S).toFixed(1).replace(/\.0$/, '')} h`;
  const days = Math.round(s / DAY_S);
  return `${days} days`;
}

/** How long ago (or, for a negative age, how far ahead) something was. */
export function formatAge(seconds: number, secondsUpTo?: number): string {
  const text = formatDuration(seconds, secondsUpTo);
  return seconds < 0 ? `${text} in the future` : `${text} ago`;
}
