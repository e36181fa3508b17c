// Which task definition the deploy brought: newer is a deploy, the same is a forced redeploy (proven by
// the new deployment id and the new task), older is a rollback that the operator must name.
import { criterion, type Criterion } from './gate';

const NAME = 'task definition as expected';

/** family and revision of `arn:...:task-definition/family:rev` (or `family:rev`). */
function parse(arn: string): { family: string; revision: number } | undefined {
  const m = /(?:task-definition\/)?([^/:]+):(\d+)$/.exec(arn);
  return m ? { family: m[1], revision: Number(m[2]) } : undefined;
}

/** The same task definition, as a full ARN or as family:revision. */
function same(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  return (
    a === b || (x !== undefined && y !== undefined && x.family === y.family && x.revision === y.revision)
  );
}

export function taskDefinitionChange(
  before: string | undefined,
  now: string | undefined,
  expected: string | undefined,
): Criterion {
  if (now === undefined) return criterion(NAME, false, 'the PRIMARY deployment reports no task definition');
  if (expected !== undefined) return criterion(NAME, same(now, expected), `${now} (expected ${expected})`);
  if (before === undefined)
    return criterion(NAME, false, `${now}, the baseline reports none to compare with`);
  const a = parse(before);
  const b = parse(now);
  if (!a || !b) return criterion(NAME, false, `${before} -> ${now}: not task definition ARNs`);
  if (a.family !== b.family)
    return criterion(
      NAME,
      false,
      `${before} -> ${now}: another family (pass --expect-task-definition if intended)`,
    );
  if (b.revision < a.revision)
    return criterion(
      NAME,
      false,
      `${before} -> ${now}: a rollback to an older revision (pass --expect-task-definition ${now} if intended)`,
    );
  return criterion(
    NAME,
    true,
    b.revision === a.revision ? `${now} as at the baseline: a forced redeploy` : `${before} -> ${now}`,
  );
}
