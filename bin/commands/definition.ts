// One definition per command: its options (with value name, default and description), its prose, exit
// codes and an example. The same object feeds parsing (node:util parseArgs), the generated `--help`
// and the README's command table, so none of them can drift from the others.
import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from './io';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The value's name in help and usage lines (`FILE`, `T`); string options only. */
  readonly value?: string;
  readonly description: string;
  /** Applied by the parser when the option is left out, and shown in help. */
  readonly default?: string;
  /** What leaving it out means when that is not a literal value ("now", "today in ET"), for help. */
  readonly absent?: string;
  readonly required?: boolean;
  readonly multiple?: boolean;
  readonly short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Accepted by every command (and before the command's name too; see main). */
export const GLOBAL_OPTIONS = {
  profile: {
    type: 'string',
    value: 'NAME',
    description: 'the AWS profile for every AWS call (a command that reads no AWS ignores it)',
    absent: 'AWS_PROFILE, else the default profile',
  },
  json: {
    type: 'boolean',
    description: 'machine-readable output (a no-op where the output is already JSON)',
  },
  help: { type: 'boolean', short: 'h', description: 'this help' },
} as const satisfies OptionSpecs;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string;

type RequiredKeys<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['required'] extends true ? K : O[K]['default'] extends string ? K : never;
}[keyof O];

/** The parsed values: required options and those with a default are always present. */
export type Values<O extends OptionSpecs> = { readonly [K in RequiredKeys<O>]: ValueOf<O[K]> } & {
  readonly [K in Exclude<keyof O, RequiredKeys<O>>]?: ValueOf<O[K]>;
} & { readonly [K in keyof typeof GLOBAL_OPTIONS]?: ValueOf<(typeof GLOBAL_OPTIONS)[K]> };

export interface Parsed<O extends OptionSpecs> {
  readonly values: Values<O>;
  readonly positionals: readonly string[];
}

/** Live collection from the environment's dashboard and ECS (a test passes its own). */
export type LiveCollector = (env: CliIo['env'], profile?: string) => Promise<unknown>;

/** What main passes to every command besides its arguments: test doubles for the outside world. */
export interface CliDeps {
  readonly collectLive?: LiveCollector;
}

export type ExitMeaning = Readonly<Partial<Record<0 | 1 | 2 | 4, string>>>;

/** What help and the README table read: a definition with its option types erased. */
export interface CommandInfo {
  /** Usage lines after `aegis-pt-health NAME`, for commands with several forms; else generated. */
  readonly usage?: readonly string[];
  /** The positional arguments, as the usage line shows them (`add|list|expire [ID]`). */
  readonly positionals?: string;
  /** The prose: what the command does and how it judges. */
  readonly description: string;
  readonly options: OptionSpecs;
  /** Exit codes this command gives; 1 and 2 are added with their standard meaning unless given. */
  readonly exitCodes: ExitMeaning;
  /** Runnable command lines, without the program name. */
  readonly examples: readonly string[];
}

export interface CommandDefinition<O extends OptionSpecs = OptionSpecs> extends CommandInfo {
  readonly options: O;
  run(parsed: Parsed<O>, io: CliIo, deps: CliDeps): Promise<number>;
}

/** Any command, as the dispatcher holds it: it runs what parseCommand parsed from that same definition. */
export interface AnyCommand extends CommandInfo {
  run(parsed: never, io: CliIo, deps: CliDeps): Promise<number>;
}

/** Infers the option names and types from the literal definition. */
export function defineCommand<const O extends OptionSpecs>(
  definition: CommandDefinition<O>,
): CommandDefinition<O> {
  return definition;
}

/** A usage error about the arguments themselves: main ends its line with where the help is. */
export class ArgumentError extends UsageError {}

export const STANDARD_EXITS: ExitMeaning = {
  2: 'bad usage, input or configuration, or no usable AWS credentials or region',
  1: 'internal error (a bug: the message keeps its stack)',
};

export function allOptions(definition: CommandInfo): OptionSpecs {
  return { ...definition.options, ...GLOBAL_OPTIONS };
}

/** parseArgs takes `--from -2h` for a missing value: a relative time or negative number is joined. */
function joinDashValues(args: readonly string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = /^--([^=]+)$/.exec(args[i])?.[1];
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/** parseArgs' messages span lines and quote its own syntax; the operator gets one plain line. */
function argumentProblem(err: unknown, options: OptionSpecs): Error {
  const code = (err as { code?: string })?.code;
  const message = (err as Error)?.message ?? String(err);
  const option = /'(-{1,2}[^' <]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option)
    return new ArgumentError(`unknown option ${option}`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return new ArgumentError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trimEnd());
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const spec = options[option.replace(/^-+/, '')];
    if (/does not take an argument/.test(message)) return new ArgumentError(`${option} takes no value`);
    if (/ambiguous/.test(message))
      return new ArgumentError(`${option} needs a value; one starting with - is written ${option}=-VALUE`);
    return new ArgumentError(`${option} needs a value${spec?.value ? ` (${spec.value})` : ''}`);
  }
  return err instanceof Error ? err : new Error(message);
}

/**
 * An option that takes one value, given twice with different values, is ambiguous (which profile did
 * the gate judge?): refused, as kingpin-based tools (amtool) refuse it, never last-wins in silence.
 */
function refuseRepeats(
  tokens: readonly { kind: string; name?: string; value?: string }[],
  options: OptionSpecs,
): void {
  const seen = new Map<string, string | undefined>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined || options[t.name]?.multiple) continue;
    if (seen.has(t.name) && seen.get(t.name) !== t.value)
      throw new ArgumentError(`--${t.name} given twice (${seen.get(t.name)}, then ${t.value}): give it once`);
    seen.set(t.name, t.value);
  }
}

export function parseCommand(
  definition: CommandInfo,
  args: readonly string[],
): Parsed<OptionSpecs> & { readonly help: boolean } {
  const options = allOptions(definition);
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      {
        type: o.type,
        ...(o.short ? { short: o.short } : {}),
        ...(o.multiple ? { multiple: true } : {}),
        ...(o.default !== undefined ? { default: o.multiple ? [o.default] : o.default } : {}),
      },
    ]),
  );
  let parsed: {
    values: Record<string, unknown>;
    positionals: string[];
    tokens?: readonly { kind: string; name?: string; value?: string }[];
  };
  try {
    parsed = parseArgs({
      args: joinDashValues(args, options),
      options: config as never,
      strict: true,
      allowPositionals: definition.positionals !== undefined,
      tokens: true,
    });
  } catch (err) {
    throw argumentProblem(err, options);
  }
  refuseRepeats(parsed.tokens ?? [], options);
  const help = parsed.values.help === true;
  if (!help) {
    for (const [name, o] of Object.entries(options)) {
      if (o.required && parsed.values[name] === undefined)
        throw new ArgumentError(`--${name}${o.value ? ` ${o.value}` : ''} is required`);
      if (typeof parsed.values[name] === 'string' && parsed.values[name] === '' && o.value)
        throw new ArgumentError(`--${name} needs a value (${o.value}), got an empty one`);
    }
  }
  return { values: parsed.values as Values<OptionSpecs>, positionals: parsed.positionals, help };
}
