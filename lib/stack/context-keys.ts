// Context keys are checked, not just read: a misspelt key (`dashboardURL`) would otherwise be ignored
// silently and the stack would deploy without what the operator meant to set.
import { ContextError } from './config';

/** Keys CDK itself or its CLI put into the context, which are not the monitor's to judge. */
const CDK_OWNED = new Set(['stackName', 'acknowledged-issue-numbers', 'notices', 'cli-telemetry']);

function isCdkOwned(key: string): boolean {
  // Feature flags (`@aws-cdk/...:flag`), CLI internals (`aws:cdk:...`) and cached lookups
  // (`availability-zones:account=...`) all carry a colon or a slash; ours never do.
  return CDK_OWNED.has(key) || key.startsWith('@') || key.includes(':') || key.includes('/');
}

/** Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The known key an unknown one most likely meant: same letters in another case, or a near spelling. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(lower, k.toLowerCase());
    if (!best || distance < best.distance) best = { key: k, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

/** Throws a ContextError for the first context key that is neither the monitor's nor CDK's. */
export function checkContextKeys(context: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  for (const key of Object.keys(context).sort()) {
    if (known.includes(key) || isCdkOwned(key)) continue;
    const guess = suggestKey(key, known);
    throw new ContextError(
      key,
      guess
        ? `is not a known key; did you mean "${guess}"?`
        : `is not a known key (known: ${known.join(', ')})`,
    );
  }
}
