// Dispatches `aegis-pt-health <command>` and maps errors to the contract's exit codes, once: an
// AegisError (usage, input, configuration) is one line with its own exit code; anything else is a bug
// and keeps its stack.
import { AegisError } from '../../lambda/shared/errors';
import type { LiveCollector } from './detect';
import { EXIT, type CliIo } from './io';

/** The exit code of an error the operator can fix, or undefined for a bug. */
export function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof AegisError) return err.exitCode;
  // node:util parseArgs: unknown option, missing value.
  if ((err as { code?: unknown })?.code?.toString().startsWith('ERR_PARSE_ARGS')) return EXIT.usage;
  return undefined;
}

export interface CliDeps {
  readonly collectLive?: LiveCollector;
}

type Command = (args: string[], io: CliIo, deps: CliDeps) => Promise<number>;

interface CommandEntry {
  /** Loads its module on first use: `--help` and each command pay only for what they run. */
  readonly run: Command;
  readonly summary: string;
}

/** Live collection loads the SDK clients it needs only when stdin is `{}`. */
const collectLive: LiveCollector = async (env, profile) => (await import('./live')).collectLive(env, profile);

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  detect: {
    run: async (args, io, deps) =>
      (await import('./detect')).detectCommand(args, io, deps.collectLive ?? collectLive),
    summary: 'evaluate an observation bundle (stdin {} collects live)',
  },
  calendar: {
    run: async (args, io) => (await import('./calendar')).calendarCommand(args, io),
    summary: 'NYSE sessions in a date range',
  },
  invoke: {
    run: async (args, io) => (await import('./invoke')).invokeCommand(args, io),
    summary: 'run the Lambda handler once here',
  },
  snapshot: {
    run: async (args, io) => (await import('./snapshot')).snapshotCommand(args, io),
    summary: 'market-session evidence for the work log',
  },
  gap: {
    run: async (args, io) => (await import('./gap')).gapCommand(args, io),
    summary: 'did the schedules cover every window?',
  },
  'prove-deploy': {
    run: async (args, io) => (await import('./prove-deploy')).proveDeployCommand(args, io),
    summary: 'is the deployed scheduler alive?',
  },
  report: {
    run: async (args, io) => (await import('./report')).reportCommand(args, io),
    summary: 'one session as a self-contained HTML report',
  },
  replay: {
    run: async (args, io) => (await import('./replay')).replayCommand(args, io),
    summary: 'stored runs judged again with changed settings',
  },
  kpi: {
    run: async (args, io) => (await import('./kpi')).kpiCommand(args, io),
    summary: 'reliability KPIs per session, with their trend',
  },
  doctor: {
    run: async (args, io) => (await import('./doctor')).doctorCommand(args, io),
    summary: 'is the deployed monitor complete and alive?',
  },
  silence: {
    run: async (args, io) => (await import('./silence')).silenceCommand(args, io),
    summary: 'hold back notifications: add, list, expire',
  },
  gate: {
    run: async (args, io) => (await import('./gate')).gateCommand(args, io),
    summary: 'the minimum deploy gate (pre / post)',
  },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`);
  return `Usage: aegis-pt-health <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'aegis-pt-health <command> --help' for a command's options.`;
}

export async function main(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage() + '\n');
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`aegis-pt-health: unknown command '${name}'\n${usage()}\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(args, io, deps);
  } catch (caught) {
    const err = await credentialsProblem(caught, args, io);
    const code = exitCodeOf(err);
    if (code !== undefined) {
      io.stderr(`aegis-pt-health ${name}: ${(err as Error).message}\n`);
      return code;
    }
    io.stderr(`aegis-pt-health ${name}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}

/**
 * Any command's AWS call that failed for want of usable credentials (gap, report, replay, kpi,
 * silence...) is the operator's environment: exit 2 naming the profile, never an internal error.
 */
async function credentialsProblem(err: unknown, args: string[], io: CliIo): Promise<unknown> {
  if (err instanceof AegisError || !(err instanceof Error)) return err;
  const { credentialsError, isCredentialsProblem } = await import('./credentials');
  const reason = `${err.name}: ${err.message}`;
  if (!isCredentialsProblem(reason)) return err;
  const at = args.findIndex((a) => a === '--profile' || a.startsWith('--profile='));
  const profile = at < 0 ? io.env.AWS_PROFILE : args[at].includes('=') ? args[at].slice(10) : args[at + 1];
  return credentialsError(profile || undefined, reason);
}
