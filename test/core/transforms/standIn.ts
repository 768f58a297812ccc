/**
 * The stand-in quantizer of the transform fixtures (test/fixtures/gen/gen_transforms.py
 * q_int_row): symmetric per-row integers, scale = f32(amax / qmax) (1 when amax
 * is 0), q = clip(rint(f32(x / scale)), ±qmax), x̂ = f32(q · scale).
 */
import { rintF } from '../../../src/core/formats/int.ts';
import type { Tensor2D } from '../../../src/core/tensor.ts';
import { hexToF32 } from '../../helpers/fixtures.ts';

export function qIntRow(qmax: number) {
  return (x: Tensor2D): Float32Array => {
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < x.rows; i++) {
      const o = i * x.cols;
      let amax = 0;
      for (let j = 0; j < x.cols; j++) amax = Math.max(amax, Math.abs(x.data[o + j]));
      const scale = amax === 0 ? 1 : Math.fround(amax / qmax);
      for (let j = 0; j < x.cols; j++) {
        const q = Math.min(qmax, Math.max(-qmax, rintF(Math.fround(x.data[o + j] / scale))));
        out[o + j] = q * scale;
      }
    }
    return out;
  };
}

export interface FixtureTensor { rows: number; cols: number; hex: string }

export function fixtureTensor(t: FixtureTensor): Tensor2D {
  return { data: hexToF32(t.hex), rows: t.rows, cols: t.cols, shape: [t.rows, t.cols] };
}
