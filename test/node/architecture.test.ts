// The layering the folder layout promises, checked on the import statements of src/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const all = files(SRC).map((f) => ({ path: relative(ROOT, f), code: readFileSync(f, 'utf8') }));

/** Import targets of a file: repo-relative paths for relative imports, package names otherwise. */
function imports(file: { path: string; code: string }): string[] {
  return [...file.code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => {
    const spec = m[1] ?? m[2];
    return spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file.path), spec)) : spec;
  });
}
const inside = (dir: string) => (p: string) => p.startsWith(`src/${dir}/`);
const offending = (from: (p: string) => boolean, bad: (target: string) => boolean) =>
  all
    .filter((f) => from(f.path))
    .flatMap((f) =>
      imports(f)
        .filter(bad)
        .map((t) => `${f.path} -> ${t}`),
    );

describe('architecture', () => {
  it('finds the imports it checks (the scanner works)', () => {
    expect(imports(all.find((f) => f.path === 'src/graph/trainer.ts')!)).toContain('src/plan/plan.ts');
    expect(all.length).toBeGreaterThan(40);
  });

  it('src/reference and src/graph never import each other (both build on src/plan)', () => {
    expect(offending(inside('reference'), inside('graph'))).toEqual([]);
    expect(offending(inside('graph'), inside('reference'))).toEqual([]);
  });

  it('src/plan depends only on the model spec and the seeded RNG', () => {
    expect(offending(inside('plan'), (t) => !/^src\/(model|plan)\/|^src\/random\.ts$/.test(t))).toEqual([]);
  });

  it('Node-only code (node:*, playwright, vite) lives in src/cli or in a *-node.ts file', () => {
    const nodeOnly = (t: string) => t.startsWith('node:') || t.startsWith('playwright') || t === 'vite';
    expect(offending((p) => !inside('cli')(p) && !p.endsWith('-node.ts'), nodeOnly)).toEqual([]);
  });

  it('the trainer, plan and reference read no page globals (stores and options are passed in)', () => {
    const globals = all.filter(
      (f) => /^src\/(graph|plan|reference)\//.test(f.path) && /\b(window|localStorage|document)\b/.test(f.code.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')),
    );
    expect(globals.map((f) => f.path)).toEqual(['src/graph/autotune.ts']); // localStorageStore: one store a caller may pass
  });
});
