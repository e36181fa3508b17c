// Dispatches `aegis-pt-health <command>` and maps errors to the contract's exit codes.
import { ConfigError } from '../../lambda/detector/config';
import { BadInputError } from '../../lambda/detector/detect';
import { calendarCommand, CALENDAR_HELP } from './calendar';
import { detectCommand, DETECT_HELP, type LiveCollector } from './detect';
import { invokeCommand, INVOKE_HELP } from './invoke';
import { gapCommand, GAP_HELP } from './gap';
import { kpiCommand, KPI_HELP } from './kpi';
import { gateCommand, GATE_HELP } from './gate';
import { proveDeployCommand, PROVE_DEPLOY_HELP } from './prove-deploy';
import { snapshotCommand, SNAPSHOT_HELP } from './snapshot';
import { reportCommand, REPORT_HELP } from './report';
import { replayCommand, REPLAY_HELP } from './replay';
import { collectLive } from './live';
import { EnvError } from '../../lambda/env';
import { EXIT, UsageError, type CliIo } from './io';

export interface CliDeps {
  readonly collectLive?: LiveCollector;
}

type Command = (args: string[], io: CliIo, deps: CliDeps) => Promise<number>;

interface CommandEntry {
  readonly run: Command;
  readonly help: string;
  readonly summary: string;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  detect: {
    run: (args, io, deps) => detectCommand(args, io, deps.collectLive ?? collectLive),
    help: DETECT_HELP,
    summary: 'evaluate an observation bundle (stdin {} collects live)',
  },
  calendar: {
    run: (args, io) => calendarCommand(args, io),
    help: CALENDAR_HELP,
    summary: 'NYSE sessions in a date range',
  },
  invoke: {
    run: (args, io) => invokeCommand(args, io),
    help: INVOKE_HELP,
    summary: 'run the Lambda handler once here',
  },
  snapshot: {
    run: (args, io) => snapshotCommand(args, io),
    help: SNAPSHOT_HELP,
    summary: 'market-session evidence for the work log',
  },
  gap: {
    run: (args, io) => gapCommand(args, io),
    help: GAP_HELP,
    summary: 'did the schedules cover every window?',
  },
  'prove-deploy': {
    run: (args, io) => proveDeployCommand(args, io),
    help: PROVE_DEPLOY_HELP,
    summary: 'is the deployed scheduler alive?',
  },
  report: {
    run: (args, io) => reportCommand(args, io),
    help: REPORT_HELP,
    summary: 'one session as a self-contained HTML report',
  },
  replay: {
    run: (args, io) => replayCommand(args, io),
    help: REPLAY_HELP,
    summary: 'stored runs judged again with changed settings',
  },
  kpi: {
    run: (args, io) => kpiCommand(args, io),
    help: KPI_HELP,
    summary: 'reliability KPIs per session, with their trend',
  },
  gate: {
    run: (args, io) => gateCommand(args, io),
    help: GATE_HELP,
    summary: 'the minimum deploy gate (pre / post)',
  },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`);
  return `Usage: aegis-pt-health <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'aegis-pt-health <command> --help' for a command's options.`;
}

function isUsageLike(err: unknown): boolean {
  return (
    err instanceof UsageError ||
    err instanceof BadInputError ||
    err instanceof ConfigError ||
    err instanceof EnvError ||
    (err as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS') === true
  );
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
  } catch (err) {
    if (isUsageLike(err)) {
      io.stderr(`aegis-pt-health ${name}: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    io.stderr(`aegis-pt-health ${name}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}
