// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { LineChart } from '../../src/plot/LineChart.tsx';

afterEach(cleanup);

const labels = (c: HTMLElement) => Array.from(c.querySelectorAll('circle + text')).map((t) => t.textContent);

describe('LineChart point labels', () => {
  it('labels spread-out points, and places the label of a close neighbour elsewhere', () => {
    const series = [
      { label: 'row', points: [{ x: 4, y: 10, label: 'INT4' }, { x: 4.25, y: 20, label: 'MXFP4' }, { x: 4.5, y: 20.2, label: 'NVFP4' }, { x: 8, y: 40, label: 'INT8' }] },
    ];
    const { container } = render(<LineChart series={series} xLabel="bits" yLabel="SQNR" title="t" showPointLabels />);
    expect(labels(container)).toEqual(['INT4', 'MXFP4', 'NVFP4', 'INT8']);
    const anchors = Array.from(container.querySelectorAll('circle + text')).map((t) => `${t.getAttribute('x')},${t.getAttribute('y')},${t.getAttribute('text-anchor')}`);
    // MXFP4 and NVFP4 sit a few pixels apart: their labels take different spots
    expect(anchors[1]).not.toEqual(anchors[2]);
  });

  it('hides labels of points on top of each other (their tooltips stay)', () => {
    const points = Array.from({ length: 8 }, (_, i) => ({ x: 8, y: 40, label: `F${i}` }));
    const { container } = render(<LineChart series={[{ label: 'tensor', points }]} xLabel="bits" yLabel="SQNR" title="t" showPointLabels />);
    expect(labels(container).length).toBeLessThan(8);
    expect(container.querySelectorAll('circle > title')).toHaveLength(8);
  });
});
