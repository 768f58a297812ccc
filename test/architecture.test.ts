/**
 * The import rules of ARCHITECTURE.md, checked on every test run (our "lint
 * rule"): who may import what. A violation names the file and the import.
 *   core     → core only, plus DOM-free libraries (fflate, d3-*): no React, zustand, comlink
 *   workers  → core, workers, comlink
 *   state    → core, state, zustand (+ react for the store's context hook; type-only
 *              imports of the worker's message types)
 *   engine   → core, state, engine, workers (types), comlink
 *   features → core (pure data and helpers), state, plot, ui, features, react, d3
 *   plot, ui → core, plot/ui themselves, react, d3 (props only: no store, no engine)
 *   cli      → core, cli, node built-ins
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  const out: string[] = [];
  for (const name of readdirSync(abs)) {
    const p = path.join(abs, name);
    if (statSync(p).isDirectory()) out.push(...files(path.join(dir, name)));
    else if (/\.(ts|tsx)$/.test(name)) out.push(path.join(dir, name));
  }
  return out;
}

/** The layer of a repo-relative path, or the package name for a bare import. */
function layerOf(rel: string): string {
  const parts = rel.split(path.sep);
  if (parts[0] === 'workers') return 'workers';
  if (parts[0] === 'src') return parts[1];
  return parts[0];
}

/** Module specifiers a file imports, each with whether the import is type-only (erased at run time). */
function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs: { spec: string; typeOnly: boolean }[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
  for (let m; (m = re.exec(text)); ) {
    specs.push({ spec: m[1] ?? m[2] ?? m[3], typeOnly: /^\s*(?:import|export)\s+type\s/.test(m[0]) });
  }
  return specs;
}

function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) {
    const bare = spec.startsWith('node:') ? 'node' : spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    return `pkg:${bare}`;
  }
  return layerOf(path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)));
}

/** Type-only imports that are allowed on top of ALLOWED (they vanish at run time). */
const TYPES_ALLOWED: Record<string, string[]> = { state: ['workers'] };

const ALLOWED: Record<string, (t: string) => boolean> = {
  core: (t) => t === 'core' || t === 'pkg:fflate' || /^pkg:d3-/.test(t),
  workers: (t) => ['core', 'workers', 'pkg:comlink'].includes(t),
  state: (t) => ['core', 'state', 'pkg:zustand', 'pkg:react'].includes(t),
  engine: (t) => ['core', 'state', 'engine', 'workers', 'pkg:comlink'].includes(t),
  features: (t) => ['core', 'state', 'plot', 'ui', 'features', 'pkg:react', 'pkg:react-dom', 'pkg:d3'].includes(t) || /^pkg:d3-/.test(t),
  plot: (t) => ['core', 'plot', 'ui', 'pkg:react', 'pkg:d3'].includes(t) || /^pkg:d3-/.test(t),
  ui: (t) => ['core', 'ui', 'pkg:react'].includes(t),
  cli: (t) => ['core', 'cli', 'pkg:node'].includes(t),
};

describe('architecture: import rules', () => {
  for (const [layer, ok] of Object.entries(ALLOWED)) {
    it(`${layer} imports only what it may`, () => {
      const dir = layer === 'workers' ? 'workers' : `src/${layer}`;
      const list = files(dir);
      expect(list.length).toBeGreaterThan(0);
      const bad: string[] = [];
      for (const f of list) {
        for (const { spec, typeOnly } of imports(f)) {
          const t = target(f, spec);
          if (!ok(t) && !(typeOnly && TYPES_ALLOWED[layer]?.includes(t))) bad.push(`${f} imports ${spec} (${t})`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
