// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../src/state/store.ts';
import { startUrlSync } from '../../src/state/url/sync.ts';
import { JOB } from '../../src/state/resultTypes.ts';

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('store', () => {
  it('drops results whose key is no longer wanted and keeps the last good data', () => {
    const s = createAppStore();
    s.getState().jobStarted(JOB.metrics, 'a');
    expect(s.getState().jobDone(JOB.metrics, 'a', 1)).toBe(true);
    s.getState().jobStarted(JOB.metrics, 'b');
    expect(s.getState().results.metrics.data).toBe(1); // last good stays while b runs
    expect(s.getState().jobDone(JOB.metrics, 'a', 2)).toBe(false); // stale arrival
    expect(s.getState().results.metrics).toMatchObject({ data: 1, forKey: 'a', wantedKey: 'b', status: 'running' });
    s.getState().jobDone(JOB.metrics, 'b', 3);
    expect(s.getState().results.metrics).toMatchObject({ data: 3, forKey: 'b', status: 'done' });
  });

  it('a queued job marks its last result stale until it runs; queueing a running or done key changes nothing', () => {
    const s = createAppStore();
    s.getState().jobStarted(JOB.metrics, 'a');
    s.getState().jobDone(JOB.metrics, 'a', 1);
    s.getState().jobQueued(JOB.metrics, 'a');
    expect(s.getState().results.metrics).toMatchObject({ status: 'done', forKey: 'a', wantedKey: 'a' });
    s.getState().jobQueued(JOB.metrics, 'b');
    expect(s.getState().results.metrics).toMatchObject({ status: 'queued', data: 1, forKey: 'a', wantedKey: 'b' });
    s.getState().jobStarted(JOB.metrics, 'b');
    s.getState().jobQueued(JOB.metrics, 'b');
    expect(s.getState().results.metrics.status).toBe('running');
    s.getState().jobDone(JOB.metrics, 'b', 2);
    expect(s.getState().results.metrics).toMatchObject({ status: 'done', data: 2, forKey: 'b' });
  });

  it('each createAppStore is independent', () => {
    const a = createAppStore();
    const b = createAppStore();
    a.getState().setConfig({ format: 'int4' });
    expect(b.getState().config.format).toBe('mxfp4');
  });
});

describe('URL sync', () => {
  it('reads the link, pushes discrete changes, debounces replace, follows back/forward', async () => {
    vi.useFakeTimers();
    window.history.replaceState(null, '', '/?v=1&format=int8&bogus=1');
    const s = createAppStore();
    const stop = startUrlSync(s, window, { debounceMs: 100 });
    expect(s.getState().config.format).toBe('int8');
    expect(s.getState().notices[0].details).toContain('unknown setting "bogus"');
    const len = window.history.length;
    s.getState().setConfig({ format: 'nf4' });
    // pushed in a task of its own, right after the change's
    expect(window.location.search).toBe('?v=1&format=int8&bogus=1');
    vi.advanceTimersByTime(0);
    expect(window.location.search).toBe('?v=1&format=nf4');
    expect(window.history.length).toBe(len + 1);
    s.getState().setConfig({ row: 5 }, 'replace');
    expect(window.location.search).toBe('?v=1&format=nf4');
    vi.advanceTimersByTime(150);
    expect(window.location.search).toBe('?v=1&format=nf4&row=5');
    expect(window.history.length).toBe(len + 1);
    window.history.replaceState(null, '', '/?v=1&format=fp8_e5m2');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(s.getState().config.format).toBe('fp8_e5m2');
    // two discrete changes in one task: two entries, in order
    s.getState().setConfig({ format: 'int4' });
    s.getState().setConfig({ format: 'q4_0' });
    vi.advanceTimersByTime(0);
    expect(window.location.search).toBe('?v=1&format=q4_0');
    expect(window.history.length).toBe(len + 3);
    // a back/forward before the push: the pending change is not pushed over it
    s.getState().setConfig({ format: 'nvfp4' });
    window.history.replaceState(null, '', '/?v=1&format=int8');
    window.dispatchEvent(new PopStateEvent('popstate'));
    vi.advanceTimersByTime(0);
    expect(window.location.search).toBe('?v=1&format=int8');
    expect(s.getState().config.format).toBe('int8');
    expect(window.history.length).toBe(len + 3);
    stop();
    vi.useRealTimers();
  });

  it('a link naming a file asks for it', () => {
    window.history.replaceState(null, '', '/?v=1&file=model.safetensors:1234&tensor=w');
    const s = createAppStore();
    const stop = startUrlSync(s, window);
    const n = s.getState().notices.find((x) => x.id === 'file-needed');
    expect(n?.title).toMatch(/open "model.safetensors"/);
    expect(n?.details.join(' ')).toContain('Tensor: w');
    stop();
  });
});
