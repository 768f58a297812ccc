/**
 * The bars a BarChart drew (src/plot/BarChart.tsx: one <path> per colour, a
 * rectangle per bar as "M x,y h w v h h −w Z"), as objects answering
 * getAttribute('x' | 'y' | 'width' | 'height' | 'fill') like the <rect>s they replace.
 */
export interface BarRect {
  getAttribute(name: 'x' | 'y' | 'width' | 'height' | 'fill'): string;
}

export function barRects(chart: Element): BarRect[] {
  const out: BarRect[] = [];
  for (const path of Array.from(chart.querySelectorAll('g[data-bars] > path'))) {
    const fill = path.getAttribute('fill') ?? '';
    const re = /M([^,]+),([^h]+)h([^v]+)v([^h]+)h[^Z]+Z/g;
    const d = path.getAttribute('d') ?? '';
    for (let m = re.exec(d); m; m = re.exec(d)) {
      const a = { x: m[1], y: m[2], width: m[3], height: m[4], fill };
      out.push({ getAttribute: (name) => a[name] });
    }
  }
  return out;
}
