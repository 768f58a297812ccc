// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { composeFigureSvg, slug, wrapCaption } from '../../src/plot/export.ts';
import { Histogram } from '../../src/plot/Histogram.tsx';

afterEach(cleanup);

describe('figure export', () => {
  it('wraps captions at spaces', () => {
    expect(wrapCaption('activation [1024, 4096] row int8 fp8', 16)).toEqual(['activation', '[1024, 4096] row', 'int8 fp8']);
  });

  it('composes one standalone SVG with the chart and an escaped caption', () => {
    const { container } = render(<div><Histogram edges={[0, 1, 2]} series={[{ label: 'INT8', counts: [1, 2] }]} width={80} height={40} xLabel="e" title="h" /></div>);
    const { svg, width, height } = composeFigureSvg(container.firstElementChild!, 'tensor <x> & formats: INT8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('tensor &lt;x&gt; &amp; formats: INT8');
    expect(svg).toContain('<path');
    expect(svg).not.toContain('data-export');
    expect(width).toBeGreaterThanOrEqual(320);
    expect(height).toBeGreaterThan(40);
    expect(new DOMParser().parseFromString(svg, 'image/svg+xml').querySelector('parsererror')).toBeNull();
  });

  it('an HTML heading marked data-export becomes bold SVG text where it stands (before/after side titles)', () => {
    const { container } = render(
      <div>
        <h3 data-export="">before: |x| &amp; more, max/median 50×</h3>
        <svg data-export="" width={100} height={50}><rect width={10} height={10} /></svg>
      </div>,
    );
    const [h3, chart] = Array.from(container.querySelectorAll('[data-export]'));
    const box = (x: number, y: number, w: number, h: number) => () => ({ left: x, top: y, width: w, height: h, right: x + w, bottom: y + h, x, y, toJSON: () => ({}) }) as DOMRect;
    container.firstElementChild!.getBoundingClientRect = box(0, 0, 400, 100);
    h3.getBoundingClientRect = box(10, 0, 300, 20);
    chart.getBoundingClientRect = box(10, 24, 100, 50);
    const { svg } = composeFigureSvg(container.firstElementChild!, 'cap');
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    const title = Array.from(doc.querySelectorAll('text')).find((t) => t.textContent!.startsWith('before'))!;
    expect(title.textContent).toBe('before: |x| & more, max/median 50×');
    expect(title.getAttribute('font-weight')).toBe('bold');
    expect(Number(title.getAttribute('x'))).toBe(10);
  });

  it('makes file names from captions', () => {
    expect(slug('Activation [64, 128]: INT8, FP4')).toBe('activation-64-128-int8-fp4');
  });
});
