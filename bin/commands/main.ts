// Dispatches `aegis-pt-health <command>` and maps errors to the contract's exit codes, once: an
// AegisError (usage, input, configuration) is one line with its own exit code; anything else is a bug
// and keeps its stack.
import { AegisError, EXIT } from '../../lambda/shared/errors';
import { ArgumentError, parseCommand, type AnyCommand, type CliDeps } from './definition';
import { helpHint, PROGRAM, renderHelp, shortUsage } from './help';
import type { CliIo } from './io';

export type { CliDeps } from './definition';

/** The exit code of an error the operator can fix, or undefined for a bug. */
export function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof AegisError) return err.exitCode;
  return undefined;
}

interface CommandEntry {
  readonly summary: string;
  /** Loads the command's module on first use: `--help` and each command pay only for what they run. */
  readonly load: () => Promise<{ readonly command: AnyCommand }>;
}

/** Every command: its one-line summary here (the top-level usage needs no module), the rest in its module. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  detect: {
    summary: 'evaluate an observation bundle (stdin {} collects live)',
    load: () => import('./detect'),
  },
  calendar: { summary: 'NYSE sessions in a date range', load: () => import('./calendar') },
  invoke: { summary: 'run the Lambda handler once here', load: () => import('./invoke') },
  snapshot: { summary: 'market-session evidence for the work log', load: () => import('./snapshot') },
  gap: { summary: 'did the schedules cover every window?', load: () => import('./gap') },
  'prove-deploy': {
    summary: "the monitor's own deploy: did its new code run on schedule?",
    load: () => import('./prove-deploy'),
  },
  gate: {
    summary: "the runtime's #93 deploy gate (pre / post): GO, WAIT or STOP",
    load: () => import('./gate'),
  },
  report: { summary: 'one session as a self-contained HTML report', load: () => import('./report') },
  kpi: { summary: 'reliability KPIs per session, with their trend', load: () => import('./kpi') },
  replay: { summary: 'stored runs judged again with changed settings', load: () => import('./replay') },
  doctor: { summary: 'is the deployed monitor complete and alive?', load: () => import('./doctor') },
  silence: { summary: 'hold back notifications: add, list, expire', load: () => import('./silence') },
};

/** Flags that may come before the command's name; they mean the same as after it. */
const GLOBAL_FLAGS: Readonly<Record<string, 'string' | 'boolean'>> = {
  '--profile': 'string',
  '--stack': 'string',
  '--bucket': 'string',
  '--runs-dir': 'string',
  '--json': 'boolean',
};

declare const __AEGIS_PT_CODE_VERSION__: string | undefined;
declare const __AEGIS_PT_PACKAGE_VERSION__: string | undefined;
declare const __AEGIS_PT_NODE_ENGINES__: string | undefined;

/** The Node majors package.json's engines names (`^22 || ^24`), or none when not built. */
function supportedMajors(): number[] {
  const engines = typeof __AEGIS_PT_NODE_ENGINES__ === 'string' ? __AEGIS_PT_NODE_ENGINES__ : '';
  return [...engines.matchAll(/\^(\d+)/g)].map((m) => Number(m[1]));
}

export function versionLine(nodeVersion: string = process.version): string {
  const pkg = typeof __AEGIS_PT_PACKAGE_VERSION__ === 'string' ? __AEGIS_PT_PACKAGE_VERSION__ : 'unbuilt';
  const code =
    typeof __AEGIS_PT_CODE_VERSION__ === 'string'
      ? __AEGIS_PT_CODE_VERSION__
      : 'unknown (not built: npm run build)';
  const majors = supportedMajors();
  const major = Number(/^v(\d+)/.exec(nodeVersion)?.[1]);
  const node =
    majors.length > 0 && !majors.includes(major)
      ? `${nodeVersion}, outside the supported Node ${majors.join(' and ')}`
      : nodeVersion;
  return `${PROGRAM} ${pkg} (code version ${code}; node ${node})`;
}

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`);
  return [
    `Usage: ${PROGRAM} [--profile NAME] [--stack NAME] [--runs-dir DIR] [--json] <command> [options]`,
    `       ${PROGRAM} --version | --help`,
    '',
    'Commands:',
    ...lines,
    '',
    `Run '${PROGRAM} <command> --help' for a command's options, exit codes and an example.`,
  ].join('\n');
}

/** Splits the global flags written before the command's name from the command and its arguments. */
function splitLeading(argv: readonly string[]): { leading: string[]; name?: string; rest: string[] } {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const type = GLOBAL_FLAGS[flag];
    if (!type) break;
    if (type === 'string' && inline === undefined) {
      if (argv[i + 1] === undefined) return { leading: [...leading, argv[i]], rest: [] };
      leading.push(argv[i], argv[i + 1]);
      i += 2;
    } else {
      leading.push(argv[i]);
      i += 1;
    }
  }
  return { leading, name: argv[i], rest: argv.slice(i + 1) };
}

export async function main(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const { leading, name, rest } = splitLeading(argv);
  if (name === '--version' || name === '-V') {
    io.stdout(versionLine() + '\n');
    return EXIT.ok;
  }
  // `help CMD` is `CMD --help`, as git and kubectl read it.
  if (name === 'help' && rest.length > 0) return main([rest[0], '--help', ...rest.slice(1)], io, deps);
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage() + '\n');
    return EXIT.ok;
  }
  if (name === undefined) {
    if (leading.length > 0) io.stderr(`${PROGRAM}: ${leading.join(' ')} needs a command after it\n`);
    io.stderr(usage() + '\n');
    return EXIT.usage;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`${PROGRAM}: unknown command '${name}'; ${helpHint()}\n`);
    return EXIT.usage;
  }
  const args = [...leading, ...rest];
  try {
    const { command } = await entry.load();
    const hasRequired = Object.values(command.options).some((o) => o.required);
    if (args.length === 0 && (hasRequired || command.positionals !== undefined)) {
      io.stderr(shortUsage(name, command) + '\n');
      return EXIT.usage;
    }
    const parsed = parseCommand(command, args);
    if (parsed.help) {
      io.stdout(renderHelp(name, entry.summary, command) + '\n');
      return EXIT.ok;
    }
    // The same definition parsed these values, so they have the types its run() declares.
    return await command.run(parsed as never, io, deps);
  } catch (caught) {
    const err = await credentialsProblem(caught, args, io);
    const code = exitCodeOf(err);
    if (code !== undefined) {
      const hint = err instanceof ArgumentError ? `; ${helpHint(name)}` : '';
      io.stderr(`${PROGRAM} ${name}: ${(err as Error).message}${hint}\n`);
      return code;
    }
    io.stderr(`${PROGRAM} ${name}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}

/**
 * Any command's AWS call that failed for want of usable credentials (gap, report, replay, kpi,
 * silence...) is the operator's environment: exit 2 naming the profile, never an internal error.
 */
async function credentialsProblem(err: unknown, args: string[], io: CliIo): Promise<unknown> {
  if (err instanceof AegisError || !(err instanceof Error)) return err;
  const { environmentError } = await import('./credentials');
  const at = args.findIndex((a) => a === '--profile' || a.startsWith('--profile='));
  const profile = at < 0 ? io.env.AWS_PROFILE : args[at].includes('=') ? args[at].slice(10) : args[at + 1];
  return environmentError(profile || undefined, `${err.name}: ${err.message}`, io.env) ?? err;
}
