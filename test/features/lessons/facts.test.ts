/** Lesson data and live-number tokens: every lesson link is valid, every token is known and computable. */
import { describe, expect, it } from 'vitest';
import { evalFact, parseTemplate, tokensOf, type FactSources } from '../../../src/features/lessons/facts.ts';
import { LESSONS, lessonIndexOf, viewConfig, viewQuery } from '../../../src/features/lessons/lessons.ts';
import { decodeConfig } from '../../../src/state/url/codec.ts';
import { EMPTY_RESULT, type ResultEntry } from '../../../src/state/slices/resultsSlice.ts';
import type { FormatId } from '../../../src/core/formats/registry.ts';
import { fakeMetrics } from './helpers.ts';

const done = <T,>(data: T): ResultEntry<T> => ({ status: 'done', wantedKey: 'k', forKey: 'k', data, error: null, progress: null, tensorKey: null });

function sourcesFor(formats: FormatId[]): FactSources {
  return {
    tensor: done({ summary: { absmax: 40, std: 2 } } as never),
    metrics: done(fakeMetrics(formats.map((f, i) => ({ format: f, sqnrDb: 30 - i, bits: 4.25, saturated: 7, blocks: 10, blocksSaturated: 3 })))),
    heatmap: done({ before: { profile: { colMaxMedianRatio: 112.4 } }, after: { profile: { colMaxMedianRatio: 8.2 } } } as never),
    transform: 'smooth:0.5',
  };
}

describe('lesson data', () => {
  it('has 6 to 8 lessons with unique ids, text and a question', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(6);
    expect(LESSONS.length).toBeLessThanOrEqual(8);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      expect(l.text.length).toBeGreaterThan(0);
      expect(l.question).toMatch(/\?/);
    }
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: its links go through the URL schema and decode to the same view', (_id, l) => {
    for (const view of [l.view, ...l.tries.map((t) => t.view)]) {
      const q = viewQuery(view);
      const { config, ignored } = decodeConfig(q);
      expect(ignored).toEqual([]);
      expect(config).toEqual(viewConfig(view));
    }
    expect(lessonIndexOf(viewConfig(l.view))).toBe(LESSONS.indexOf(l));
  });

  it('no two lessons share a view', () => {
    expect(new Set(LESSONS.map((l) => viewQuery(l.view))).size).toBe(LESSONS.length);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: every number in the text is computed from its own view', (_id, l) => {
    const src = sourcesFor(viewConfig(l.view).formats);
    const tokens = [...l.text, l.question].flatMap(tokensOf);
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) {
      const v = evalFact(t, src);
      expect(v.state, `${t}: ${JSON.stringify(v)}`).toBe('ok');
    }
  });

  it('no digits are pasted into sentences that cite results (numbers come from tokens)', () => {
    for (const l of LESSONS) {
      for (const p of [...l.text, l.question]) {
        // the one rule-of-thumb constant ("about 6 dB" per bit) is not a result
        const prose = p.replace(/\{[^}]+\}/g, '').replace(/about 6 dB/g, '');
        expect(prose).not.toMatch(/\d\s?(dB|GB|KiB|×)/);
      }
    }
  });
});

describe('facts', () => {
  it('parses templates into text and tokens', () => {
    expect(parseTemplate('SQNR {sqnr:int8} here.')).toEqual([
      { kind: 'text', text: 'SQNR ' },
      { kind: 'fact', token: 'sqnr:int8' },
      { kind: 'text', text: ' here.' },
    ]);
  });

  it('formats each kind of number with its unit', () => {
    const src = sourcesFor(['int8', 'mxfp4']);
    const text = (t: string) => {
      const v = evalFact(t, src);
      return v.state === 'ok' ? v.text : v.state;
    };
    expect(text('sqnr:int8')).toBe('30.0 dB');
    expect(text('dsqnr:int8:mxfp4')).toBe('1.0 dB');
    expect(text('bits:mxfp4')).toBe('4.25 bits');
    expect(text('gb7b:mxfp4')).toBe('3.7 GB');
    expect(text('tps:mxfp4')).toBe('269');
    expect(text('kib:mxfp4')).toBe('544 KiB');
    expect(text('max:fp8_e4m3')).toBe('448');
    expect(text('max:fp8_e5m2')).toBe('57,344');
    expect(text('sat:int8')).toBe('7');
    expect(text('blocksSat:mxfp4')).toBe('3');
    expect(text('peak')).toBe('20×');
    expect(text('colRatio')).toBe('112×');
    expect(text('colRatioAfter')).toBe('8.2×');
    expect(text('meanErr:int8')).toBe('≈ +0.6');
    expect(text('rmsErr:int8')).toBe('0.5');
  });

  it('says why a number is missing: format not compared, job failed, still running', () => {
    const src = sourcesFor(['int8']);
    expect(evalFact('sqnr:nf4', src)).toEqual({ state: 'missing', why: 'add NF4 to "Compare side by side"' });
    const failed: FactSources = { ...src, metrics: { ...EMPTY_RESULT, status: 'error', error: 'boom', wantedKey: 'k' } };
    expect(evalFact('sqnr:int8', failed)).toEqual({ state: 'missing', why: 'the metrics could not be computed: boom' });
    const running: FactSources = { ...src, metrics: { ...EMPTY_RESULT, status: 'running', wantedKey: 'k' } };
    expect(evalFact('sqnr:int8', running)).toEqual({ state: 'pending' });
    expect(evalFact('nonsense:int8', src).state).toBe('missing');
  });

  it('keeps the last good number while the next computes, marked stale', () => {
    const src = sourcesFor(['int8']);
    const m = { ...src.metrics, status: 'running' as const, wantedKey: 'k2' };
    const v = evalFact('sqnr:int8', { ...src, metrics: m });
    expect(v).toMatchObject({ state: 'ok', text: '30.0 dB', stale: true });
  });
});
