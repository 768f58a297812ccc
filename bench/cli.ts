/**
 * CLI end to end on a 64 MiB .npy (4096×4096 float32): load, quantize (int8 per
 * row), metrics, write .npy — versus a numpy script doing the same, when
 * python3 with numpy is available. Both are timed as whole processes; the CLI
 * as `npm run cli` runs it (scripts/cli.mjs, its bundle built before timing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNpyF32 } from '../src/core/io/npy.ts';
import { generateSample } from '../src/core/samples/samples.ts';

const NUMPY_SCRIPT = `
import sys, numpy as np
x = np.load(sys.argv[1])
amax = np.abs(x).max(axis=1, keepdims=True)
scale = np.where(amax == 0, np.float32(1), amax / np.float32(127)).astype(np.float32)
q = np.clip(np.rint(x / scale), -127, 127)
xh = (q * scale).astype(np.float32)
e = xh.astype(np.float64) - x
sq = 10 * np.log10((x.astype(np.float64) ** 2).sum() / (e ** 2).sum())
np.save(sys.argv[2], xh)
print(sq)
`;

function timeProcess(cmd: string, args: string[], runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.toString().split('\n')[0]}`);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1] ?? times[0];
}

export async function benchCli(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qs-bench-'));
  try {
    const x = generateSample({ kind: 'activation', size: 4096, seed: 0 });
    const input = path.join(dir, 'x.npy');
    writeFileSync(input, writeNpyF32(x.shape, x.data));
    timeProcess('node', ['scripts/cli.mjs', 'values', 'int8'], 1); // builds the bundle if stale
    const cliMs = timeProcess('node', ['scripts/cli.mjs', 'quantize', input, '--format', 'int8', '--out', path.join(dir, 'q.npy'), '--json']);
    console.log(`\nCLI end to end (64 MiB .npy, int8 per row, metrics, write .npy): ${cliMs.toFixed(0)} ms`);
    let hasNumpy = false;
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
      hasNumpy = true;
    } catch { /* no python/numpy */ }
    if (hasNumpy) {
      const script = path.join(dir, 'q.py');
      writeFileSync(script, NUMPY_SCRIPT);
      const pyMs = timeProcess('python3', [script, input, path.join(dir, 'p.npy')]);
      console.log(`numpy script doing the same:                                     ${pyMs.toFixed(0)} ms  (quantscope ${(pyMs / cliMs).toFixed(2)}× faster)`);
    } else {
      console.log('numpy comparison skipped: python3 with numpy is not installed');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
