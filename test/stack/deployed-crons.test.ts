// Review of issue #21's prove-deploy: "the proving run must come from a schedule of the deployed stack at a
// minute its deployed cron fires", and prove-deploy reads the deployed crons from the function's
// configuration (AEGIS_PT_PRIMARY_CRON / AEGIS_PT_FALLBACK_CRON), as the Lambda does for the digest's
// coverage. The stack must put them there: without them both fall back to the defaults, so a deploy that
// moves the schedules is "proven" by a run of the old (default) cron and its digest counts the wrong windows.
import { ENV } from '../../lambda/shared/env-names';
import { DEFAULT_FALLBACK_CRON, DEFAULT_PRIMARY_CRON } from '../../lambda/shared/schedules';
import { synth } from './synth';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

function deployed(context: Record<string, unknown>) {
  const t = synth(context);
  const fn = Object.values(t.findResources('AWS::Lambda::Function') as Resources)[0];
  const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const crons = Object.values(t.findResources('AWS::Scheduler::Schedule') as Resources).map(
    (s) => s.Properties.ScheduleExpression,
  );
  return { env, crons };
}

describe("the deployed crons are in the function's configuration", () => {
  it.each([
    ['the defaults', {}, DEFAULT_PRIMARY_CRON, DEFAULT_FALLBACK_CRON],
    [
      'crons the stack overrides',
      { primaryCron: 'cron(0/2 13-21 ? * MON-FRI *)', fallbackCron: 'cron(1/2 13-21 ? * MON-FRI *)' },
      'cron(0/2 13-21 ? * MON-FRI *)',
      'cron(1/2 13-21 ? * MON-FRI *)',
    ],
  ])('%s: the same expressions as the schedules that fire', (_name, context, primary, fallback) => {
    const { env, crons } = deployed(context);
    expect(env[ENV.primaryCron]).toBe(primary);
    expect(env[ENV.fallbackCron]).toBe(fallback);
    expect(crons.sort()).toEqual([primary, fallback].sort());
  });
});
