import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-project.ts';

/**
 * The house rules of ARCHITECTURE.md, checked on every `npm test`: dependencies point one way
 * (cli → app → features → series rules / store / mailer → render → content → config), and no two
 * folders or files import each other, directly or round a loop.
 */
const srcDir = path.join(repoRoot, 'src');

/** Higher layers first; a module may import its own folder, any lower layer, or a peer without a loop. */
const layers: readonly (readonly string[])[] = [
  ['cli'],
  ['app.ts'],
  ['web', 'preview', 'schedule', 'check'],
  ['delivery'],
  ['subscription', 'bounces'],
  ['series', 'store', 'mailer'],
  ['render'],
  ['content'],
  ['config.ts', 'problems.ts', 'redact.ts', 'log.ts'],
  ['errors.ts'],
];

/** `web/site.ts` → `web`; a file at the top of src is its own unit (`config.ts`). */
const unitOf = (file: string) => file.split('/')[0]!;
const layerOf = (unit: string) => layers.findIndex((l) => l.includes(unit));

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) return sourceFiles(path.join(dir, e.name), rel);
    return /\.(ts|js)$/.test(e.name) && !rel.includes('/assets/') ? [rel] : [];
  });
}

/** Relative imports of one file, static, dynamic and re-exports, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(srcDir, file), 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g)) {
    found.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)));
  }
  return [...found];
}

const files = sourceFiles(srcDir);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Every cycle's members, one list per strongly connected component larger than one node. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const members: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        members.push(w);
      } while (w !== v);
      if (members.length > 1 || edges.get(v)?.has(v)) out.push(members.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('the dependency rules', () => {
  it('resolves every relative import to a file in src', () => {
    const missing = [...graph].flatMap(([f, targets]) =>
      targets.filter((t) => !graph.has(t)).map((t) => `${f} → ${t}`),
    );
    expect(missing).toEqual([]);
  });

  it('puts every folder and top-level file of src in a layer', () => {
    const units = new Set(files.map(unitOf));
    expect([...units].filter((u) => layerOf(u) < 0)).toEqual([]);
  });

  it('never imports a higher layer', () => {
    const upward = [...graph].flatMap(([f, targets]) =>
      targets.filter((t) => layerOf(unitOf(t)) < layerOf(unitOf(f))).map((t) => `${f} → ${t}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no file cycle', () => {
    const edges = new Map([...graph].map(([f, ts]) => [f, new Set(ts)]));
    expect(cycles(edges)).toEqual([]);
  });

  it('has no folder cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const [f, targets] of graph) {
      const from = unitOf(f);
      if (!edges.has(from)) edges.set(from, new Set());
      for (const t of targets) if (unitOf(t) !== from) edges.get(from)!.add(unitOf(t));
    }
    expect(cycles(edges)).toEqual([]);
  });

  it('catches a cycle when one is there (the checker itself works)', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(edges)).toEqual([['a', 'b', 'c']]);
  });
});
