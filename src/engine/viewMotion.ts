/**
 * Pan and zoom as a signal to the background work: while the heatmap
 * viewport moves, the heavy jobs (trade-off, matmul, outlier split) rest,
 * on the main thread between their steps (quiet) and on the workers between
 * the bands of a request under way (analysisApi holdBackground). On a 2-core
 * machine their bands beside the pan's pooling took a core from the page:
 * ~20 more frames over 32 ms per pan in the bench's sequence.
 */
import type { Config } from '../state/config.ts';

/** the config fields a pan or zoom changes (the heatmap viewport, in tensor indices) */
const VIEWPORT_KEYS: readonly (keyof Config)[] = ['r0', 'r1', 'c0', 'c1'];

/** ms the background rests after the last viewport change */
export const VIEW_HOLD_MS = 400;

/** `next` differs from `prev` in the viewport and nothing else. */
export function onlyViewportMoved(prev: Config, next: Config): boolean {
  if (prev === next) return false;
  let moved = false;
  for (const k of Object.keys(next) as (keyof Config)[]) {
    if (next[k] === prev[k]) continue;
    if (!VIEWPORT_KEYS.includes(k)) return false;
    moved = true;
  }
  return moved;
}

export interface ViewMotion {
  /** the viewport just changed: tells the workers to hold (at most every VIEW_HOLD_MS / 4) */
  moved(): void;
  /** resolves once VIEW_HOLD_MS have passed since the last change (at once when it has) */
  quiet(): Promise<void>;
}

/** `hold(ms)` asks the workers to rest their background bands for the next ms. */
export function createViewMotion(hold: (ms: number) => void, now: () => number = () => performance.now()): ViewMotion {
  let lastMove = -Infinity;
  let lastHold = -Infinity;
  return {
    moved() {
      lastMove = now();
      if (lastMove - lastHold < VIEW_HOLD_MS / 4) return;
      lastHold = lastMove;
      hold(VIEW_HOLD_MS);
    },
    async quiet() {
      for (let left = lastMove + VIEW_HOLD_MS - now(); left > 0; left = lastMove + VIEW_HOLD_MS - now()) {
        await new Promise((resolve) => setTimeout(resolve, left));
      }
    },
  };
}
