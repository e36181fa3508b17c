// README's generated figures: every marked block is well formed and has a writer that still exists.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  checkFigureSources,
  formatMarkdown,
  parseFigureBlocks,
  replaceFigures,
  writeReadmeFigures,
} from '../../scripts/readme-figures';

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

const block = (id: string, body = 'figures', source = `bench/${id}.ts`, run = `bench:${id}`) =>
  `<!-- figures:${id} source=${source} run="npm run ${run}" -->\n${body}\n<!-- /figures:${id} -->`;

describe("README's figure blocks", () => {
  it('are well formed, and each is written by a source that exists and an npm script that runs it', () => {
    const { blocks, problems } = parseFigureBlocks(README);
    expect(problems).toEqual([]);
    expect(checkFigureSources(blocks, ROOT)).toEqual([]);
    // The benchmarks' figures and the screenshot's numbers are all generated.
    expect(blocks.map((b) => b.id)).toEqual(expect.arrayContaining(['bench-detector', 'bench-handler', 'bench-cli']));
  });
});

describe('parseFigureBlocks', () => {
  it('reads a block with its source, script and body', () => {
    const { blocks, problems } = parseFigureBlocks(`# t\n\n${block('a', 'x = 1\ny = 2')}\n`);
    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      { id: 'a', source: 'bench/a.ts', run: 'bench:a', body: 'x = 1\ny = 2', beginLine: 3, endLine: 6 },
    ]);
  });

  it.each([
    ['never closed', '<!-- figures:a source=s.ts run="npm run b" -->\nx\n', /figures:a is never closed/],
    ['closed by another id', '<!-- figures:a source=s.ts run="npm run b" -->\nx\n<!-- /figures:b -->', /closes figures:a/],
    ['a stray end', 'x\n<!-- /figures:a -->', /closes no block/],
    [
      'nested',
      `<!-- figures:a source=s.ts run="npm run b" -->\n${block('b')}\n<!-- /figures:a -->`,
      /begins inside figures:a/,
    ],
    ['empty', '<!-- figures:a source=s.ts run="npm run b" -->\n\n<!-- /figures:a -->', /figures:a is empty/],
    ['twice', `${block('a')}\n${block('a')}`, /figures:a appears twice/],
    ['without its source', '<!-- figures:a run="npm run b" -->\nx\n<!-- /figures:a -->', /malformed figures marker/],
    ['without its script', '<!-- figures:a source=s.ts -->\nx\n<!-- /figures:a -->', /malformed figures marker/],
    ['mistyped', '<!--figures: a source=s.ts run="npm run b"-->\nx\n<!-- /figures:a -->', /malformed/],
  ])('finds a block %s', (_name, text, problem) => {
    expect(parseFigureBlocks(text).problems.join('\n')).toMatch(problem);
  });
});

describe('checkFigureSources', () => {
  const root = mkdtempSync(join(tmpdir(), 'aegis-figures-'));
  mkdirSync(join(root, 'bench'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ scripts: { 'bench:a': 'node bench/a.ts', 'bench:b': 'node bench/other.ts' } }),
  );
  writeFileSync(join(root, 'bench/a.ts'), "writeReadmeFigures('a', text);");
  writeFileSync(join(root, 'bench/b.ts'), "writeReadmeFigures('b', text);");
  writeFileSync(join(root, 'bench/c.ts'), "writeReadmeFigures('not-c', text);");
  const check = (text: string) => checkFigureSources(parseFigureBlocks(text).blocks, root);

  it('accepts a block whose source writes it and whose script runs the source', () => {
    expect(check(block('a'))).toEqual([]);
  });

  it('fails when the source is missing, does not write the block, or no script runs it', () => {
    expect(check(block('gone'))).toEqual([expect.stringMatching(/source bench\/gone.ts does not exist/)]);
    expect(check(block('c', 'x', 'bench/c.ts', 'bench:a'))).toEqual([
      expect.stringMatching(/bench\/c.ts never writes 'c'/),
      expect.stringMatching(/npm run bench:a does not run bench\/c.ts/),
    ]);
    expect(check(block('b'))).toEqual([expect.stringMatching(/npm run bench:b does not run bench\/b.ts/)]);
    expect(check(block('a', 'x', 'bench/a.ts', 'bench:none'))).toEqual([
      expect.stringMatching(/package.json has no script bench:none/),
    ]);
  });
});

describe('replaceFigures and writeReadmeFigures', () => {
  const text = `# t\n\nprose before\n\n${block('a', 'old')}\n\nprose after\n`;

  it('replaces only the body of the named block, and again the same way', () => {
    const once = replaceFigures(text, 'a', 'new 1\nnew 2');
    expect(once).toBe(`# t\n\nprose before\n\n${block('a', '\nnew 1\nnew 2\n')}\n\nprose after\n`);
    expect(replaceFigures(once, 'a', 'new 1\nnew 2')).toBe(once);
  });

  it('refuses a missing block, a malformed README and a body with markers', () => {
    expect(() => replaceFigures(text, 'b', 'x')).toThrow(/no <!-- figures:b/);
    expect(() => replaceFigures(`${text}<!-- /figures:z -->\n`, 'a', 'x')).toThrow(/malformed/);
    expect(() => replaceFigures(text, 'a', block('z'))).toThrow(/may not contain figures markers/);
  });

  it('writes a README that the formatter leaves as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-figures-'));
    const path = join(dir, 'README.md');
    writeFileSync(path, text);
    writeReadmeFigures('a', '| case | ms |\n|---|---|\n| cold start | 208 |', path);
    const written = readFileSync(path, 'utf8');
    expect(written).toContain('| cold start | 208 |');
    expect(parseFigureBlocks(written).problems).toEqual([]);
    formatMarkdown(path);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });
});
