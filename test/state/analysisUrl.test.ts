import { describe, expect, it } from 'vitest';
import { decodeConfig, encodeConfig } from '../../src/state/url/codec.ts';
import { defaultConfig } from '../../src/state/config.ts';

describe('URL keys of the analysis view', () => {
  it('round-trips viewport, colour scale, channel, outliers and weight-tensor; defaults are omitted', () => {
    const c = {
      ...defaultConfig(),
      transform: 'hadamard:64', r0: 16, r1: 80, c0: 128, c1: 256, colourScale: 'log' as const, channel: 130,
      outliers: 0.999, file: 'model.safetensors:1234', tensor: 'layers.0.in', weightTensor: 'layers.0.w',
    };
    const q = encodeConfig(c);
    expect(q).toContain('r0=16&r1=80&c0=128&c1=256&colour-scale=log&channel=130');
    expect(q).toContain('outliers=0.999');
    expect(q).toContain('weight-tensor=layers.0.w');
    const back = decodeConfig(q);
    expect(back.ignored).toEqual([]);
    expect(back.config).toEqual(c);
    expect(encodeConfig(defaultConfig())).toBe('');
  });

  it('round-trips the error heatmap mode and the channel-bar scale (defaults abs and log are omitted)', () => {
    const c = { ...defaultConfig(), errorMode: 'rel' as const, barScale: 'linear' as const };
    const q = encodeConfig(c);
    expect(q).toContain('bar-scale=linear&error-mode=rel');
    const back = decodeConfig(q);
    expect(back.ignored).toEqual([]);
    expect(back.config).toEqual(c);
    expect(back.config.errorMode).toBe('rel');
    expect(back.config.barScale).toBe('linear');
    const d = decodeConfig(encodeConfig({ ...defaultConfig(), barScale: 'log', errorMode: 'abs' }));
    expect(d.config.barScale).toBe('log');
    expect(d.config.errorMode).toBe('abs');
    expect(encodeConfig({ ...defaultConfig(), barScale: 'log', errorMode: 'abs' })).toBe('');
    const bad = decodeConfig('?error-mode=relative&bar-scale=sqrt');
    expect(bad.config.errorMode).toBe('abs');
    expect(bad.config.barScale).toBe('log');
    expect(bad.ignored.join('\n')).toMatch(/error-mode=relative \(valid: abs, rel\)/);
    expect(bad.ignored.join('\n')).toMatch(/bar-scale=sqrt \(valid: linear, log\)/);
  });

  it('hostile values fall back to the defaults with a notice line', () => {
    const { config, ignored } = decodeConfig('?r0=-5&c1=1e9&colour-scale=<script>&outliers=2&channel=abc&weight-tensor=%3Cimg%3E');
    expect(config.r0).toBeNull();
    expect(config.c1).toBeNull();
    expect(config.colourScale).toBe('linear');
    expect(config.outliers).toBeNull();
    expect(config.channel).toBeNull();
    expect(config.weightTensor).toBeNull();
    expect(ignored).toHaveLength(6);
    expect(ignored.join('\n')).toMatch(/outliers=2 \(outliers must be a quantile Q/);
  });
});
