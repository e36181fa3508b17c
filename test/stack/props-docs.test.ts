// The stack's public surface documents itself: every optional prop says what leaving it out means
// (`@default`), and every exported function, class and public method has a TSDoc comment.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '../..');
const SURFACE = [join(ROOT, 'lib/stack'), join(ROOT, 'bin/app.ts')];

function files(path: string): string[] {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(path, e.name)) : e.name.endsWith('.ts') ? [join(path, e.name)] : [],
  );
}

function docOf(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .map((d) => d.getText())
    .join('\n');
}

const exported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const isPublic = (node: ts.Node) =>
  !(ts.getModifiers(node as ts.HasModifiers) ?? []).some(
    (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
  );

interface Finding {
  readonly where: string;
  readonly what: string;
}

function check(file: string): Finding[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Finding[] = [];
  const where = (node: ts.Node, name: string) =>
    `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${name}`;
  for (const stmt of source.statements) {
    if (!exported(stmt)) continue;
    if (ts.isInterfaceDeclaration(stmt)) {
      for (const m of stmt.members) {
        if (ts.isPropertySignature(m) && m.questionToken && !/@default\b/.test(docOf(m)))
          out.push({ where: where(m, `${stmt.name.text}.${m.name.getText()}`), what: 'no @default' });
      }
    } else if (ts.isFunctionDeclaration(stmt)) {
      if (!docOf(stmt)) out.push({ where: where(stmt, stmt.name?.text ?? '?'), what: 'no TSDoc' });
    } else if (ts.isClassDeclaration(stmt)) {
      const cls = stmt.name?.text ?? '?';
      if (!docOf(stmt)) out.push({ where: where(stmt, cls), what: 'no TSDoc' });
      for (const m of stmt.members) {
        const method = ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m);
        if (method && isPublic(m) && !docOf(m))
          out.push({ where: where(m, `${cls}.${m.name.getText()}`), what: 'no TSDoc' });
      }
    }
  }
  return out;
}

describe("the stack's public surface", () => {
  const all = SURFACE.flatMap(files);

  it('has files to read', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  it('documents every optional prop with @default and every exported function, class and method', () => {
    expect(all.flatMap(check)).toEqual([]);
  });
});
