import { describe, expect, it } from 'vitest';
import { decodeConfig, encodeConfig, MAX_QUERY_CHARS } from '../../src/state/url/codec.ts';
import { defaultConfig } from '../../src/state/config.ts';

describe('URL codec', () => {
  it('all defaults encode to an empty query and decode back', () => {
    expect(encodeConfig(defaultConfig())).toBe('');
    const { config, ignored } = decodeConfig('');
    expect(config).toEqual(defaultConfig());
    expect(ignored).toEqual([]);
  });

  it('round-trips every non-default setting with CLI names', () => {
    const c = {
      ...defaultConfig(),
      format: 'nvfp4' as const,
      formats: ['int4' as const, 'nf4' as const],
      granularity: 'group:128',
      scale: 'pow2' as const,
      scaleRule: 'ceil' as const,
      clip: 0.999,
      rounding: 'stochastic' as const,
      seed: 42,
      transform: 'smooth:0.6',
      weightFormat: 'fp4_e2m1' as const,
      sample: 'heavy-tail' as const,
      size: 256 as const,
      sampleSeed: 7,
      row: 12,
      block: 3,
      line: 'log' as const,
      cmap: 'cividis' as const,
    };
    const q = encodeConfig(c);
    expect(q).toContain('v=1');
    expect(q).toContain('scale-rule=ceil');
    expect(q).toContain('formats=int4,nf4');
    expect(q).toContain('granularity=group:128');
    expect(q).toContain('weight-format=fp4_e2m1');
    const { config, ignored } = decodeConfig(q);
    expect(ignored).toEqual([]);
    expect(config).toEqual(c);
  });

  it('omits defaults', () => {
    const q = encodeConfig({ ...defaultConfig(), format: 'int8' });
    expect(q).toBe('?v=1&format=int8');
  });

  it('file and tensor names survive encoding', () => {
    const c = { ...defaultConfig(), file: 'model-00001 of 2.safetensors:123456', tensor: 'model.layers.0.mlp.down_proj.weight' };
    expect(decodeConfig(encodeConfig(c)).config).toEqual(c);
  });

  describe('hostile and broken links fall back per key with a notice', () => {
    const cases: [string, string][] = [
      ['?v=1&format=<script>alert(1)</script>', 'format='],
      ['?size=99999999', 'size='],
      ['?size=-1', 'size='],
      ['?granularity=group:0', 'granularity='],
      ['?clip=2', 'clip='],
      ['?seed=1e400', 'seed='],
      ['?evil=1', 'unknown setting "evil"'],
      ['?formats=int8,int4,fp8_e4m3,fp8_e5m2,fp4_e2m1,mxfp4,nvfp4', 'formats='],
      ['?transform=smooth:javascript:alert(1)', 'transform='],
      ['?transform=hadamard:63', 'power-of-two block size'],
      ['?transform=smooth:1.5', '0 ≤ α ≤ 1'],
      ['?row=99999999999', 'row='],
      ['?v=abc', 'v=abc'],
      ['?v=7', 'newer'],
      ['?format=%E0%A4%A', 'format='],
      ['?tensor=x', 'no file'],
      ['?file=%3Cimg%20src%3Dx%3E:12', 'file='],
    ];
    it.each(cases)('%s', (query, expected) => {
      const { config, ignored } = decodeConfig(query);
      expect(ignored.join('\n')).toContain(expected);
      // every ignored key is at its default
      expect(config.size).toBe(defaultConfig().size);
      expect(config.format).toBe(defaultConfig().format);
    });

    it('keeps the good parts of a partly bad link', () => {
      const { config, ignored } = decodeConfig('?v=1&format=int4&size=123&seed=5');
      expect(config.format).toBe('int4');
      expect(config.seed).toBe(5);
      expect(config.size).toBe(1024);
      expect(ignored).toHaveLength(1);
    });

    it('is bounded on huge input and never throws', () => {
      const huge = '?' + 'a=1&'.repeat(200_000) + 'format=int8';
      const t0 = performance.now();
      const { ignored } = decodeConfig(huge);
      expect(performance.now() - t0).toBeLessThan(200);
      expect(ignored[0]).toContain(String(MAX_QUERY_CHARS));
      expect(ignored.length).toBeLessThan(100);
    });

    it('shortens and de-controls echoed values', () => {
      const { ignored } = decodeConfig('?format=' + encodeURIComponent('x'.repeat(500) + '\u0000'));
      expect(ignored[0]).not.toContain('x'.repeat(41));
      expect(ignored[0]).not.toContain('\u0000');
    });

    it('first of duplicate keys wins', () => {
      const { config, ignored } = decodeConfig('?format=int8&format=int4');
      expect(config.format).toBe('int8');
      expect(ignored[0]).toContain('twice');
    });
  });

  it('migrates legacy underscore names (v=0)', () => {
    const { config, ignored } = decodeConfig('?v=0&scale_rule=ceil&weight_format=int4');
    expect(ignored).toEqual([]);
    expect(config.scaleRule).toBe('ceil');
    expect(config.weightFormat).toBe('int4');
  });
});
