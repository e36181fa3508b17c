// `--help`, the short usage a bare command prints, and the README's command table: all rendered from
// the command's definition.
import {
  GLOBAL_OPTIONS,
  STANDARD_EXITS,
  type CommandInfo,
  type ExitMeaning,
  type OptionSpec,
  type OptionSpecs,
} from './definition';

export const PROGRAM = 'aegis-pt-health';
const WIDTH = 100;

/** Greedy wrap of words (or usage groups, kept whole); `indent` starts every line after the first. */
export function wrap(text: string | readonly string[], width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of typeof text === 'string' ? text.split(/\s+/).filter(Boolean) : text) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}

function flag(name: string, o: OptionSpec): string {
  const head = `${o.short ? `-${o.short}, ` : ''}--${name}`;
  return `${head}${o.value ? ` ${o.value}` : ''}${o.multiple ? ' ...' : ''}`;
}

/** Each usage line as its groups (`--from T`, `[--until T]`), so wrapping never splits one. */
function synopsis(name: string, d: CommandInfo): string[][] {
  if (d.usage)
    return d.usage.map((u) => [
      PROGRAM,
      name,
      ...(u.match(/\([^)]*\)|\[[^\]]*\]|\S+ [A-Z][^\s]*|\S+/g) ?? []),
    ]);
  const parts = [PROGRAM, name, ...(d.positionals ? [d.positionals] : [])];
  for (const [n, o] of Object.entries(d.options)) {
    const token = `--${n}${o.value ? ` ${o.value}` : ''}${o.multiple ? ' ...' : ''}`;
    parts.push(o.required ? token : `[${token}]`);
  }
  return [[...parts, '[--profile NAME]', '[--json]']];
}

/** A paragraph, or a list (every line starts with `- `): each item wrapped under its own text. */
function paragraph(p: string): string {
  const lines = p.split('\n');
  if (lines.length > 1 && lines.every((l) => l.startsWith('- ')))
    return lines.map((l) => wrap(l, WIDTH, '  ')).join('\n');
  return wrap(p, WIDTH, '');
}

/** The usage lines, wrapped under their command. */
export function usageOf(name: string, d: CommandInfo): string {
  return synopsis(name, d)
    .map((groups, i) => {
      const head = i === 0 ? 'Usage: ' : '       ';
      return (
        head + wrap(groups, WIDTH - head.length, ' '.repeat(head.length + PROGRAM.length + name.length + 2))
      );
    })
    .join('\n');
}

export function exitCodesOf(d: CommandInfo): ExitMeaning {
  return { ...STANDARD_EXITS, ...d.exitCodes };
}

function optionLines(options: OptionSpecs): string[] {
  const entries = Object.entries(options);
  const col = Math.min(26, Math.max(...entries.map(([n, o]) => flag(n, o).length)) + 4);
  return entries.map(([n, o]) => {
    const notes = [
      ...(o.required ? ['required'] : []),
      ...(o.default !== undefined ? [`default: ${o.default}`] : o.absent ? [`default: ${o.absent}`] : []),
      ...(o.multiple ? ['repeatable'] : []),
    ];
    const text = `${o.description}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    const head = `  ${flag(n, o)}`;
    const pad = head.length + 2 > col ? `\n${' '.repeat(col)}` : ' '.repeat(col - head.length);
    return head + pad + wrap(text, WIDTH - col, ' '.repeat(col));
  });
}

/** The whole `--help` of one command. */
export function renderHelp(name: string, summary: string, d: CommandInfo): string {
  const exits = exitCodesOf(d);
  const codes = ([0, 4, 2, 1] as const).filter((c) => exits[c] !== undefined);
  return [
    usageOf(name, d),
    '',
    wrap(`${summary[0].toUpperCase()}${summary.slice(1)}${/[.?!]$/.test(summary) ? '' : '.'}`, WIDTH, ''),
    '',
    ...d.description.split('\n\n').flatMap((p) => [paragraph(p), '']),
    'Options:',
    ...optionLines(d.options),
    '',
    'Global options (also accepted before the command):',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes:',
    ...codes.map((c) => `  ${c}  ${wrap(exits[c] as string, WIDTH - 5, '     ')}`),
    '',
    d.examples.length > 1 ? 'Examples:' : 'Example:',
    ...d.examples.map((e) => `  ${PROGRAM} ${e}`),
  ].join('\n');
}

/** What a bare command with required options prints to stderr: its usage and where the help is. */
export function shortUsage(name: string, d: CommandInfo): string {
  return `${usageOf(name, d)}\nRun '${PROGRAM} ${name} --help' for every option, the exit codes and an example.`;
}

/** How `see ... --help` ends an argument error's line. */
export function helpHint(name?: string): string {
  return `see ${PROGRAM}${name ? ` ${name}` : ''} --help`;
}
