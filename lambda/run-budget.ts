// The run's time budget. Every AWS call has its own deadline (aws-deps' CLIENT_DEADLINES); the run as a
// whole lives inside the Lambda's timeout, read from the invocation context. Collecting gets a share
// of it, so a source that hangs becomes that source's error (ECS that hangs is `ecs_unavailable`) and
// what the other source saw is still judged and told in the same run.

/** Without a Lambda context (the CLI's invoke, the demo, tests): a budget like the deployed timeout's. */
export const DEFAULT_RUN_BUDGET_MS = 55_000;
/** At most this long for collecting, so the snapshot, the publish and the record keep their time. */
export const COLLECT_MAX_MS = 20_000;
/** Kept back from the Lambda's remaining time: the handler still logs and returns. */
export const SAFETY_MS = 1_500;

export interface RunBudget {
  /** Epoch milliseconds by which the run must have finished its work. */
  readonly deadlineMs: number;
}

/** A deadline from the Lambda context's remaining time, or the default budget. */
export function budgetFrom(nowMs: number, remainingMs?: number): RunBudget {
  const remaining =
    remainingMs !== undefined && Number.isFinite(remainingMs) ? remainingMs : DEFAULT_RUN_BUDGET_MS;
  return { deadlineMs: nowMs + Math.max(0, remaining - SAFETY_MS) };
}

/** What is left of the budget, at least a millisecond (a deadline for `within` must be positive). */
export function timeLeftMs(budget: RunBudget): number {
  return Math.max(1, budget.deadlineMs - Date.now());
}

/** A third of what is left, at most COLLECT_MAX_MS, at least one second. */
export function collectBudgetMs(budget: RunBudget, nowMs: number): number {
  return Math.max(1000, Math.min(COLLECT_MAX_MS, Math.floor((budget.deadlineMs - nowMs) / 3)));
}

/** The promise's value, or `onTimeout()` once `ms` have passed; the timer never holds the process. */
export function within<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
