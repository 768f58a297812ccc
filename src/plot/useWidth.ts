/** Content-box width of a figure's container, so a chart can shrink to fit a phone. */
import { useLayoutEffect, useState, type RefObject } from 'react';

/** Content-box width of `ref`'s element, 0 until measured (or without ResizeObserver, e.g. jsdom). */
export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => setW(Math.floor(entries[0]?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/**
 * A plot width for `avail` px of container (0 = not measured: `width`): `width` when the plot and
 * its `chrome` (axes, margins) fit, else as much as fits, never below `min`.
 */
export function fitWidth(width: number, avail: number, chrome: number, min = 120): number {
  return avail > 0 ? Math.max(min, Math.min(width, avail - chrome)) : width;
}
