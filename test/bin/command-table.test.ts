// One definition per command feeds parsing, `--help` and README's command table: the table in README
// is exactly what the definitions generate, and every help shows every option, exit code and example.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { commandTable } from '../../bin/commands/command-table';
import { GLOBAL_OPTIONS } from '../../bin/commands/definition';
import { COMMANDS, main } from '../../bin/commands/main';
import { formatMarkdown, parseFigureBlocks, replaceFigures } from '../../scripts/readme-figures';
import { captureIo } from '../helpers/cli-io';

const ROOT = resolve(__dirname, '../..');

describe("README's command table", () => {
  it('is what the command definitions generate (npm run docs:commands rewrites it)', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'aegis-table-'));
    const path = join(dir, 'README.md');
    copyFileSync(join(ROOT, '.prettierrc.json'), join(dir, '.prettierrc.json'));
    writeFileSync(path, replaceFigures(readme, 'commands', await commandTable()));
    formatMarkdown(path, ROOT);
    expect(readme).toBe(readFileSync(path, 'utf8'));
  }, 60_000);

  it('lists every command, each with its exit codes', () => {
    const body = parseFigureBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).blocks.find(
      (b) => b.id === 'commands',
    )?.body;
    for (const name of Object.keys(COMMANDS))
      expect(body).toMatch(new RegExp(`^\\| \`${name}[ \`].*\\| 0 `, 'm'));
  });

  it('changes when a definition changes: a command without its row fails the comparison', async () => {
    const table = await commandTable();
    const withoutDoctor = table.replace(/^\| `doctor.*\n/m, '');
    expect(withoutDoctor).not.toBe(table);
  });
});

describe('generated help', () => {
  it.each(Object.keys(COMMANDS))(
    '%s --help shows every option with its value and default, exit codes and an example',
    async (name) => {
      const { command } = await COMMANDS[name].load();
      const io = captureIo();
      expect(await main([name, '--help'], io)).toBe(0);
      expect(io.err).toBe('');
      const help = io.out;
      expect(help).toMatch(new RegExp(`^Usage: aegis-pt-health ${name} `));
      for (const [option, spec] of Object.entries({ ...command.options, ...GLOBAL_OPTIONS })) {
        const line = help.split('\n').find((l) => new RegExp(`^ +(-\\w, )?--${option}\\b`).test(l));
        expect(line).toBeDefined();
        if ('value' in spec && spec.value) expect(line).toContain(`--${option} ${spec.value}`);
        const fallback = 'default' in spec ? spec.default : 'absent' in spec ? spec.absent : undefined;
        if (fallback) expect(help.slice(help.indexOf(line as string))).toMatch(/\(default: /);
      }
      expect(help).toMatch(/\nExit codes:\n {2}0 {2}\S/);
      expect(help).toMatch(/\n {2}2 {2}bad usage/);
      expect(help).toMatch(/\nExamples?:\n {2}aegis-pt-health /);
      expect(command.examples.length).toBeGreaterThan(0);
    },
  );

  it('every example parses: its options are ones the command defines', async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const { command } = await entry.load();
      const known = new Set(Object.keys({ ...command.options, ...GLOBAL_OPTIONS }));
      for (const example of command.examples) {
        expect(example.split(' ')[0]).toBe(name);
        for (const flag of example.match(/(?<=\s)--[\w-]+/g) ?? []) expect(known).toContain(flag.slice(2));
      }
    }
  });
});
