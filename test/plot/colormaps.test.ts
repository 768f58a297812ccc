import { describe, expect, it } from 'vitest';
import { colourize, getLut, lutIndex, NAN_RGBA, type ColourMapping } from '../../src/plot/colormaps.ts';

const hex = (lut: Uint8ClampedArray, i: number) => '#' + [0, 1, 2].map((k) => lut[i * 4 + k].toString(16).padStart(2, '0')).join('');

describe('colour LUTs', () => {
  it('are 256 opaque RGBA entries with the published end colours', () => {
    for (const name of ['viridis', 'cividis', 'diverging'] as const) {
      const lut = getLut(name);
      expect(lut.length).toBe(1024);
      for (let i = 0; i < 256; i++) expect(lut[i * 4 + 3]).toBe(255);
    }
    expect(hex(getLut('viridis'), 0)).toBe('#440154');
    expect(hex(getLut('viridis'), 255)).toBe('#fde725');
  });

  it('viridis gets lighter monotonically (perceptual ordering)', () => {
    const lut = getLut('viridis');
    const lum = (i: number) => 0.2126 * lut[i * 4] + 0.7152 * lut[i * 4 + 1] + 0.0722 * lut[i * 4 + 2];
    for (let i = 8; i < 256; i += 8) expect(lum(i)).toBeGreaterThan(lum(i - 8));
  });

  it('diverging is blue below zero, near white at zero, red above', () => {
    const lut = getLut('diverging');
    expect(lut[0 * 4 + 2]).toBeGreaterThan(lut[0 * 4]); // blue end
    expect(lut[255 * 4]).toBeGreaterThan(lut[255 * 4 + 2]); // red end
    expect(Math.min(lut[128 * 4], lut[128 * 4 + 1], lut[128 * 4 + 2])).toBeGreaterThan(230);
  });
});

describe('value → LUT index', () => {
  it('linear magnitudes, clamped', () => {
    const m = { kind: 'linear', domain: [0, 10] } as const;
    expect([0, -5, 5, 10, 20, -20].map((v) => lutIndex(v, m))).toEqual([0, 128, 128, 255, 255, 255]);
    expect(lutIndex(NaN, m)).toBe(-1);
  });
  it('log magnitudes', () => {
    const m = { kind: 'log', domain: [1, 100] } as const;
    expect([0, 0.5, 1, 10, 100].map((v) => lutIndex(v, m))).toEqual([0, 0, 0, 128, 255]);
  });
  it('diverging signed values around 0', () => {
    const m = { kind: 'diverging', domain: [0, 4] } as const;
    expect([-4, 0, 4, -8].map((v) => lutIndex(v, m))).toEqual([0, 128, 255, 0]);
  });
  it('colourize writes RGBA per value and grey for NaN', () => {
    const lut = getLut('viridis');
    const out = colourize(Float32Array.from([0, NaN, 1]), lut, { kind: 'linear', domain: [0, 1] });
    expect(Array.from(out.slice(0, 4))).toEqual(Array.from(lut.slice(0, 4)));
    expect(Array.from(out.slice(4, 8))).toEqual([...NAN_RGBA]);
    expect(Array.from(out.slice(8, 12))).toEqual(Array.from(lut.slice(1020, 1024)));
  });

  it('colourize gives every value the colour of lutIndex, for each mapping kind, into an offset buffer too', () => {
    const lut = getLut('viridis');
    let state = 7;
    const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const values = Float32Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? NaN : (rand() - 0.5) * 10 ** (rand() * 8 - 4)));
    values[1] = 0; values[2] = -0; values[3] = Infinity; values[4] = -Infinity;
    const mappings = [
      { kind: 'linear', domain: [0, 3] }, { kind: 'linear', domain: [2, 2] }, { kind: 'log', domain: [1e-3, 50] },
      { kind: 'log', domain: [0, 1] }, { kind: 'diverging', domain: [0, 0.5] }, { kind: 'diverging', domain: [0, 0] },
    ] as const;
    for (const [m, off] of mappings.flatMap((mm) => [[mm, 0], [mm, 3]] as const)) {
      const backing = new Uint8ClampedArray(values.length * 4 + off);
      const out = colourize(values, lut, m, backing.subarray(off));
      for (let i = 0; i < values.length; i++) {
        const k = lutIndex(values[i], m);
        const want = k < 0 ? Array.from(NAN_RGBA) : Array.from(lut.subarray(k * 4, k * 4 + 4));
        expect(Array.from(out.subarray(i * 4, i * 4 + 4)), `${m.kind} ${m.domain} value ${values[i]}`).toEqual(want);
      }
    }
  });
});


describe('colourize\'s fast paths agree with lutIndex at every entry boundary', () => {
  /** the float64 neighbours of v (next below, next above) */
  const neighbours = (v: number): number[] => {
    const f = new Float64Array([v]);
    const b = new BigInt64Array(f.buffer);
    const out: number[] = [];
    for (const d of [-1n, 1n]) { const g = new BigInt64Array([b[0] + d]); out.push(new Float64Array(g.buffer)[0]); }
    return out;
  };
  /** colourize gives each probe (as float64 and as float32) lutIndex's colour */
  const expectLutColours = (probes: number[], lut: Uint8ClampedArray, m: ColourMapping) => {
    for (const values of [Float64Array.from(probes), Float32Array.from(probes)]) {
      const out = colourize(values, lut, m);
      const bad = Array.from(values).filter((v, i) => {
        const k = lutIndex(v, m);
        const want = k < 0 ? [...NAN_RGBA] : Array.from(lut.subarray(k * 4, k * 4 + 4));
        return Array.from(out.subarray(i * 4, i * 4 + 4)).join() !== want.join();
      });
      expect(bad).toEqual([]);
    }
  };
  for (const domain of [[1e-3, 50], [1, 100], [0, 1], [2.5e-7, 3.0000001e-7], [1e-300, 1e300]] as const) {
    it(`domain ${domain}`, () => {
      const m = { kind: 'log', domain } as const;
      const l0 = Math.log(domain[0] > 0 ? domain[0] : Number.MIN_VALUE), l1 = Math.log(domain[1]);
      const probes: number[] = [0, -0, 5e-324, Infinity, -Infinity, NaN, domain[0], domain[1], -domain[1]];
      for (let k = 1; k < 256; k++) {
        const b = Math.exp(l0 + (k / 256) * (l1 - l0));
        probes.push(b, -b, ...neighbours(b), b * (1 + 1e-9), b * (1 - 1e-9), b * (1 + 1e-7), b * (1 - 1e-7), Math.fround(b));
      }
      const lut = getLut('viridis');
      expectLutColours(probes, lut, m);
    });
  }
  for (const hi of [0.5, 3, 7.3e-5]) {
    it(`diverging domain [0, ${hi}]: values at and next to every entry boundary`, () => {
      const m = { kind: 'diverging', domain: [0, hi] } as const;
      const probes: number[] = [0, -0, NaN, Infinity, -Infinity, hi, -hi, 2 * hi, -2 * hi];
      for (let k = 0; k <= 256; k++) {
        const b = hi * ((2 * k) / 256 - 1);
        probes.push(b, ...neighbours(b), Math.fround(b));
      }
      const lut = getLut('diverging');
      expectLutColours(probes, lut, m);
    });
  }
  for (const domain of [[0, 3], [0.1, 7.3], [1e-3, 50]] as const) {
    it(`linear domain ${domain}: values at and next to every entry boundary`, () => {
      const m = { kind: 'linear', domain } as const;
      const probes: number[] = [0, -0, NaN, Infinity, -Infinity, domain[0], domain[1]];
      for (let k = 0; k <= 256; k++) {
        const b = domain[0] + (k / 256) * (domain[1] - domain[0]);
        probes.push(b, -b, ...neighbours(b), Math.fround(b));
      }
      const lut = getLut('viridis');
      for (const values of [Float64Array.from(probes), Float32Array.from(probes)]) {
        const out = colourize(values, lut, m);
        const bad = Array.from(values).filter((v, i) => lut.subarray(lutIndex(v, m) * 4, lutIndex(v, m) * 4 + 4).join() !== out.subarray(i * 4, i * 4 + 4).join()
          && !Number.isNaN(v));
        expect(bad).toEqual([]);
      }
    });
  }
});
