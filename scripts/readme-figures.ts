// Figures in README that cannot go stale: the script that measures something writes it into a marked
// block, and test/docs/readme-figures.test.ts fails when a block is malformed or its writer is gone.
//
//   <!-- figures:bench-handler source=bench/handler.bench.ts run="npm run bench:handler" -->
//   ...written by the source on every run, never by hand...
//   <!-- /figures:bench-handler -->
//
// `source` is the file that calls writeReadmeFigures('bench-handler', ...); `run` is the npm script that
// runs it (package.json names the source). Markdown has no include, and a generator for the whole README
// would take the prose away from its authors: a marked block is the smallest thing that does both.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, arch } from 'node:os';
import { join, resolve } from 'node:path';

export interface FigureBlock {
  readonly id: string;
  readonly source: string;
  /** The npm script, e.g. `bench:handler`. */
  readonly run: string;
  readonly body: string;
  /** 1-based line numbers of the two markers. */
  readonly beginLine: number;
  readonly endLine: number;
}

export interface FigureParse {
  readonly blocks: FigureBlock[];
  /** Each malformed marker or block, with its line. */
  readonly problems: string[];
}

const ID = '[a-z0-9][a-z0-9-]*';
const BEGIN = new RegExp(`^<!-- figures:(${ID}) source=(\\S+) run="npm run ([\\w:.-]+)" -->$`);
const END = new RegExp(`^<!-- /figures:(${ID}) -->$`);
/** Anything that looks like a marker, so a mistyped one is a problem, not prose. */
const MARKER_LIKE = /<!--\s*\/?\s*figures\b/;

export function parseFigureBlocks(text: string): FigureParse {
  const lines = text.split('\n');
  const blocks: FigureBlock[] = [];
  const problems: string[] = [];
  let open: { id: string; source: string; run: string; line: number } | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (!MARKER_LIKE.test(line)) return;
    const begin = BEGIN.exec(line);
    const end = END.exec(line);
    if (begin) {
      if (open)
        problems.push(`line ${n}: figures:${begin[1]} begins inside figures:${open.id} (line ${open.line})`);
      open = { id: begin[1], source: begin[2], run: begin[3], line: n };
    } else if (end) {
      if (!open) problems.push(`line ${n}: /figures:${end[1]} closes no block`);
      else if (end[1] !== open.id)
        problems.push(`line ${n}: /figures:${end[1]} closes figures:${open.id} (line ${open.line})`);
      else {
        const body = lines.slice(open.line, i).join('\n').trim();
        if (body === '') problems.push(`line ${open.line}: figures:${open.id} is empty`);
        if (blocks.some((b) => b.id === open!.id))
          problems.push(`line ${open.line}: figures:${open.id} appears twice`);
        const { id, source, run, line: beginLine } = open;
        blocks.push({ id, source, run, body, beginLine, endLine: n });
      }
      open = null;
    } else {
      problems.push(
        `line ${n}: malformed figures marker (want <!-- figures:ID source=PATH run="npm run SCRIPT" --> ... <!-- /figures:ID -->): ${line}`,
      );
    }
  });
  if (open) {
    const o = open as { id: string; line: number };
    problems.push(`line ${o.line}: figures:${o.id} is never closed`);
  }
  return { blocks, problems };
}

/**
 * What makes a block trustworthy: its source exists and names the block's id (it is the writer), and
 * its npm script exists and runs that source.
 */
export function checkFigureSources(blocks: readonly FigureBlock[], root: string): string[] {
  const scripts =
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> })
      .scripts ?? {};
  const problems: string[] = [];
  for (const b of blocks) {
    const where = `figures:${b.id} (line ${b.beginLine})`;
    const path = resolve(root, b.source);
    if (!existsSync(path)) {
      problems.push(`${where}: its source ${b.source} does not exist`);
      continue;
    }
    if (!readFileSync(path, 'utf8').includes(`'${b.id}'`))
      problems.push(`${where}: ${b.source} never writes '${b.id}'`);
    const script = scripts[b.run];
    if (script === undefined) problems.push(`${where}: package.json has no script ${b.run}`);
    else if (!script.includes(b.source)) problems.push(`${where}: npm run ${b.run} does not run ${b.source}`);
  }
  return problems;
}

/** The block's body replaced; throws unless the text has exactly one well-formed block of that id. */
export function replaceFigures(text: string, id: string, body: string): string {
  const parsed = parseFigureBlocks(text);
  if (parsed.problems.length > 0)
    throw new Error(`README figures are malformed: ${parsed.problems.join('; ')}`);
  const block = parsed.blocks.find((b) => b.id === id);
  if (!block) throw new Error(`README has no <!-- figures:${id} ... --> block to write`);
  if (MARKER_LIKE.test(body)) throw new Error(`figures:${id}: the body may not contain figures markers`);
  const lines = text.split('\n');
  return [...lines.slice(0, block.beginLine), '', body.trim(), '', ...lines.slice(block.endLine - 1)].join(
    '\n',
  );
}

/** One line saying where and when the figures were measured (the machine's load moves them). */
export function measuredOn(at: Date = new Date()): string {
  return `Measured ${at.toISOString().slice(0, 10)} on a ${cpus().length}-core ${platform()} ${arch()} machine, Node ${process.version}.`;
}

/** Prettier as `npm run lint` runs it (its API loads plugins by dynamic import, which Jest refuses). */
export function formatMarkdown(path: string, root = process.cwd()): void {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/prettier/bin/prettier.cjs'),
      '--config',
      join(root, '.prettierrc.json'),
      '--write',
      path,
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`prettier could not format ${path}: ${run.stderr}`);
}

/**
 * Writes `body` (Markdown) into README's block `id` and formats README as `npm run lint` expects, so a
 * benchmark run leaves a file that passes the checks. README_FIGURES=0 leaves README as it is.
 */
export function writeReadmeFigures(id: string, body: string, readme = resolve('README.md')): void {
  if (process.env.README_FIGURES === '0') return;
  writeFileSync(readme, replaceFigures(readFileSync(readme, 'utf8'), id, body));
  formatMarkdown(readme);
  console.log(`README.md: figures:${id} updated`);
}
