// The README's command table, generated from the same definitions as parsing and `--help`
// (`npm run docs:commands` writes it; test/bin/command-table.test.ts fails when README disagrees).
import { GLOBAL_OPTIONS, type CommandInfo } from './definition';
import { exitCodesOf, wrap } from './help';
import { COMMANDS } from './main';

/** The command with what it cannot run without: its positionals and required options. */
function shape(name: string, d: CommandInfo): string {
  const required = Object.entries(d.options)
    .filter(([, o]) => o.required)
    .map(([n, o]) => `--${n}${o.value ? ` ${o.value}` : ''}`);
  const optional = Object.values(d.options).some((o) => !o.required);
  return [
    name,
    ...(d.positionals ? [d.positionals] : []),
    ...required,
    ...(optional ? ['[options]'] : []),
  ].join(' ');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export async function commandTable(): Promise<string> {
  const rows: string[] = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const { command } = await entry.load();
    const exits = exitCodesOf(command);
    const own = ([0, 4] as const).filter((c) => exits[c] !== undefined).map((c) => `${c} ${exits[c]}`);
    rows.push(`| \`${cell(shape(name, command))}\` | ${cell(entry.summary)} | ${cell(own.join('; '))} |`);
  }
  const globals = Object.entries(GLOBAL_OPTIONS)
    .map(([n, o]) => `\`--${n}${'value' in o ? ` ${o.value}` : ''}\``)
    .join(', ');
  const prose = [
    'Every command also exits 2 on bad usage, input or configuration (or no usable AWS credentials or region)',
    'with one line on stderr, and 1 on an internal error (a bug, with its stack). Every command takes',
    `${globals}; \`--stack\`, \`--bucket\` and \`--runs-dir\` where it reads the state bucket; these may also`,
    "come before the command's name. `aegis-pt-health CMD --help` shows every option with its value and",
    'default, the exit codes and an example; `aegis-pt-health --version` prints the package version and the',
    "code version (the stack's `MonitorCodeVersion` output when deployed from the same tree). A command that",
    "reads AWS needs a region (the `--profile`'s, or `AWS_REGION`) and credentials: without them it exits 2",
    'naming `--profile` and `AWS_REGION` before any call, never a critical `ecs_unavailable`. The dashboard',
    'token goes only over https, or plain http to a private address (RFC 1918, 100.64/10, IPv6 ULA, loopback;',
    'a name must resolve only to such addresses, and the token goes to the very address checked): the CLI',
    'refuses anything else before any call (exit 2), and',
    "the Lambda reports it as the dashboard's failure without reading the secret. Files the CLI writes",
    '(`gate --out`, `report`, the work log) are created owner-only (0600) and never written through a',
    "symbolic link; an existing path that is not the operator's own regular file with one name (a FIFO, a",
    "device, another file's hard link, another user's file) is refused (exit 2) before a byte changes.",
  ].join(' ');
  return [
    '| Command | What it does | Exit codes |',
    '| --- | --- | --- |',
    ...rows,
    '',
    wrap(prose, 105, ''),
  ].join('\n');
}
