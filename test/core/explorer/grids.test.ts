import { describe, expect, it } from 'vitest';
import { codeBits, decodeCode, encodeValue, gridInfo, gridValues } from '../../../src/core/explorer/grids.ts';
import { FORMATS } from '../../../src/core/formats/registry.ts';
import { q4_0Code } from '../../../src/core/formats/ggml.ts';

describe('bit editor codes (grids.ts)', () => {
  const ids = [...FORMATS.map((f) => f.id).filter((id) => id !== 'bf16' && id !== 'fp16'), 'e8m0', 'e4m3_scale'] as const;
  it.each(ids)('%s: every value of the grid encodes to a code of the right width that decodes to it', (id) => {
    const info = gridInfo(id);
    const n = codeBits(info);
    for (const v of gridValues(id)) {
      const code = encodeValue(info, v);
      expect(code, `${id} ${v}`).toBeGreaterThanOrEqual(0);
      expect(code, `${id} ${v}`).toBeLessThan(2 ** n);
      expect(decodeCode(info, code) + 0, `${id} ${v}`).toBe(v + 0);
    }
  });

  it('GGML Q4_0 codes are offset binary as llama.cpp stores them (q = n + 8): 1 is 1001, −8 is 0000', () => {
    const info = gridInfo('q4_0');
    for (let n = -8; n <= 7; n++) expect(encodeValue(info, n), `${n}`).toBe(q4_0Code(n, 1));
    expect(encodeValue(info, 1)).toBe(0b1001);
    expect(decodeCode(info, 0)).toBe(-8);
  });

  it('INT4 asym codes are unsigned 0…15; INT4 codes are two\'s complement (−7 is 1001)', () => {
    expect(encodeValue(gridInfo('int4_asym'), 15)).toBe(15);
    expect(decodeCode(gridInfo('int4_asym'), 15)).toBe(15);
    expect(encodeValue(gridInfo('int4'), -7)).toBe(0b1001);
    expect(decodeCode(gridInfo('int4'), 0b1000)).toBeNaN(); // −8 is not used: the format is symmetric
  });
});
