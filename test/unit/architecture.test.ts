import { createRequire } from 'node:module';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/**
 * The layering of src/ as .dependency-cruiser.cjs states it (also run by `npm run lint`), and one
 * thing its rules cannot say: no circle between folders, however many files a circle passes through.
 */
const require = createRequire(import.meta.url);
const ruleSet = require('../../.dependency-cruiser.cjs') as NonNullable<ICruiseOptions['ruleSet']>;

async function cruiseSrc(): Promise<ICruiseResult> {
  const result = await cruise(['src'], { ruleSet, validate: true, parser: 'swc', tsPreCompilationDeps: true, includeOnly: '^src/', doNotFollow: { path: 'node_modules' } });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text');
  return result.output;
}

/** The folder a module lives in: its first folder under src/, or the file itself at the root. */
function folderOf(path: string): string {
  const [, first, rest] = /^src\/([^/]+)(\/.*)?$/.exec(path) ?? [];
  return rest === undefined ? (first ?? path) : `${first}/`;
}

/** Folders on a circle (Tarjan's strongly connected components of more than one folder). */
function folderCycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    order.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, order.get(next) ?? 0));
      }
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      for (;;) {
        const top = stack.pop();
        if (top === undefined) break;
        onStack.delete(top);
        component.push(top);
        if (top === node) break;
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!order.has(node)) visit(node);
  return found;
}

describe('the layering of src/', () => {
  it('breaks none of the dependency rules', async () => {
    const result = await cruiseSrc();
    expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(result.modules.length).toBeGreaterThan(50);
  }, 30_000);

  it('has no circle between folders', async () => {
    const result = await cruiseSrc();
    const edges = new Map<string, Set<string>>();
    for (const module of result.modules) {
      const from = folderOf(module.source);
      for (const dependency of module.dependencies) {
        const to = folderOf(dependency.resolved);
        if (!dependency.resolved.startsWith('src/') || to === from) continue;
        edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
      if (!edges.has(from)) edges.set(from, new Set());
    }
    expect(folderCycles(edges)).toEqual([]);
  }, 30_000);

  it('finds a circle when there is one', () => {
    const edges = new Map([
      ['a/', new Set(['b/'])],
      ['b/', new Set(['c/'])],
      ['c/', new Set(['a/'])],
      ['d/', new Set(['a/'])],
    ]);
    expect(folderCycles(edges)).toEqual([['a/', 'b/', 'c/']]);
  });
});
