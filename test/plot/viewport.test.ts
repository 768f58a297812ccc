import { describe, expect, it } from 'vitest';
import { cellAt, fitViewport, panViewport, viewportText, zoomViewport } from '../../src/plot/viewport.ts';

const full = { row0: 0, row1: 100, col0: 0, col1: 200 };

describe('viewport math', () => {
  it('zooms about the centre and stops at one element', () => {
    expect(zoomViewport(full, 2, 100, 200)).toEqual({ row0: 25, row1: 75, col0: 50, col1: 150 });
    let v = full;
    for (let i = 0; i < 40; i++) v = zoomViewport(v, 2, 100, 200);
    expect([v.row1 - v.row0, v.col1 - v.col0]).toEqual([1, 1]);
    expect(zoomViewport(v, 0.001, 100, 200)).toEqual(full);
  });
  it('zooms about an anchor (the pointer)', () => {
    expect(zoomViewport(full, 2, 100, 200, 0, 0)).toEqual({ row0: 0, row1: 50, col0: 0, col1: 100 });
  });
  it('pans and clamps inside the tensor, keeping the size', () => {
    const v = { row0: 10, row1: 20, col0: 10, col1: 30 };
    expect(panViewport(v, 5, -3, 100, 200)).toEqual({ row0: 15, row1: 25, col0: 7, col1: 27 });
    expect(panViewport(v, -50, 500, 100, 200)).toEqual({ row0: 0, row1: 10, col0: 180, col1: 200 });
    expect(fitViewport({ row0: -3, row1: 500, col0: 2, col1: 2 }, 100, 200)).toEqual({ row0: 0, row1: 100, col0: 2, col1: 3 });
  });
  it('finds the cell of an index', () => {
    const s = [0, 3, 6, 10];
    expect([0, 2, 3, 9, 10, -1].map((i) => cellAt(s, i))).toEqual([0, 0, 1, 2, -1, -1]);
  });
});

describe('viewportText', () => {
  it('names index ranges inclusive, and a single row or column by its index', () => {
    expect(viewportText({ row0: 0, row1: 1024, col0: 0, col1: 512 })).toBe('rows 0–1023, columns 0–511');
    expect(viewportText({ row0: 0, row1: 1, col0: 7, col1: 8 })).toBe('row 0, column 7');
  });
});
