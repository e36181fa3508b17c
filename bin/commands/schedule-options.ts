// Which schedules a command judges against: --cron overrides, or the crons the deployed function runs
// with (its AEGIS_PT_PRIMARY_CRON / AEGIS_PT_FALLBACK_CRON), or the defaults. Shared by gap and prove-deploy.
import { parseCron } from '../../lambda/shared/cron';
import { ENV } from '../../lambda/shared/env-names';
import { scheduleDefinitions, type ScheduleDefinition } from '../../lambda/shared/schedules';
import { OUTPUTS } from '../../lambda/shared/stack-outputs';
import { CLIENT_DEADLINES } from '../../lambda/shared/client-deadlines';
import { ArgumentError } from './definition';
import type { CliIo } from './io';
import { stackOutputs, withCredentials, type SourceValues } from './ops-sources';

export const CRON_OPTION = {
  type: 'string',
  value: 'NAME=EXPR',
  description: 'judge against another schedule: primary=cron(...) or fallback=cron(...)',
  multiple: true,
} as const;

/** The --cron overrides by schedule name, each a valid cron (exit 2 naming it otherwise). */
export function cronOverrides(overrides: readonly string[] | undefined): Record<string, string> {
  const crons: Record<string, string> = {};
  for (const o of overrides ?? []) {
    const m = /^(primary|fallback)=(.+)$/.exec(o);
    if (!m) throw new ArgumentError(`--cron takes primary=EXPR or fallback=EXPR, got ${JSON.stringify(o)}`);
    try {
      parseCron(m[2]);
    } catch (err) {
      throw new ArgumentError(`--cron ${m[1]}: ${(err as Error).message}`);
    }
    crons[m[1]] = m[2];
  }
  return crons;
}

export function definitions(overrides: readonly string[] | undefined): ScheduleDefinition[] {
  const crons = cronOverrides(overrides);
  return scheduleDefinitions(crons.primary, crons.fallback);
}

/**
 * The schedules the deployed stack runs: --cron where given; otherwise, live, the crons in the deployed
 * function's configuration; offline, the defaults (the source says so).
 */
export async function deployedSchedules(
  values: SourceValues & { readonly cron?: readonly string[] },
  io: CliIo,
): Promise<{ schedules: ScheduleDefinition[]; source: string }> {
  const given = cronOverrides(values.cron);
  if (values['runs-dir'] !== undefined) {
    const source = values.cron?.length
      ? '--cron'
      : 'the defaults: pass --cron if the stack overrides primaryCron or fallbackCron';
    return { schedules: scheduleDefinitions(given.primary, given.fallback), source };
  }
  const fn = (await stackOutputs(values, io))[OUTPUTS.function];
  if (!fn) throw new ArgumentError(`the stack has no ${OUTPUTS.function} output: pass --cron or --runs-dir`);
  const { LambdaClient, GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  const profile = values.profile ?? io.env.AWS_PROFILE;
  const out = await withCredentials(values, io, () =>
    new LambdaClient({ ...CLIENT_DEADLINES, ...(profile ? { profile } : {}) }).send(
      new GetFunctionConfigurationCommand({ FunctionName: fn }),
    ),
  );
  const env = out.Environment?.Variables ?? {};
  // A function deployed before its configuration named the crons: the defaults would be a guess, and a
  // run of the old (default) schedule would then prove a deploy that moved them.
  const unnamed = [
    ['primary', ENV.primaryCron],
    ['fallback', ENV.fallbackCron],
  ].filter(([name, variable]) => given[name] === undefined && !env[variable]);
  if (unnamed.length > 0)
    throw new ArgumentError(
      `the configuration of ${fn} does not name its crons (${unnamed.map(([, v]) => v).join(', ')}): pass ${unnamed.map(([n]) => `--cron ${n}=EXPR`).join(' ')} with the crons the stack deployed`,
    );
  return {
    schedules: scheduleDefinitions(
      given.primary ?? env[ENV.primaryCron],
      given.fallback ?? env[ENV.fallbackCron],
    ),
    source: `the configuration of ${fn}${values.cron?.length ? ', with --cron' : ''}`,
  };
}
