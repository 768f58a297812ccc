// @vitest-environment jsdom
/** LessonsPanel and PresetsMenu by role and label; teacher links hide sidebar controls. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createAppStore, StoreProvider, type AppStore } from '../../../src/state/store.ts';
import { JOB } from '../../../src/state/resultTypes.ts';
import { LessonsPanel } from '../../../src/features/lessons/LessonsPanel.tsx';
import { PresetsMenu } from '../../../src/features/lessons/PresetsMenu.tsx';
import { HiddenControlsNotice } from '../../../src/features/lessons/Hideable.tsx';
import { LESSONS, viewConfig } from '../../../src/features/lessons/lessons.ts';
import { QuantControls } from '../../../src/features/app-shell/QuantControls.tsx';
import { TensorPicker } from '../../../src/features/tensor-picker/TensorPicker.tsx';
import { fakeMetrics } from './helpers.ts';

afterEach(cleanup);

const renderWith = (store: AppStore, ui: React.ReactNode) => render(<StoreProvider store={store}>{ui}</StoreProvider>);

describe('LessonsPanel', () => {
  it('starts with an intro; Start applies lesson 1 as a pushed URL change', async () => {
    const store = createAppStore();
    renderWith(store, <LessonsPanel />);
    expect(screen.getByText(`${LESSONS.length} lessons`)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: /^Start: 1\./ }));
    const s = store.getState();
    expect(s.historyMode).toBe('push');
    expect(s.config).toEqual(viewConfig(LESSONS[0].view));
    expect(screen.getByRole('heading', { level: 3 }).textContent).toContain(LESSONS[0].title);
    expect(screen.getByText(`Lesson 1 of ${LESSONS.length}`)).toBeTruthy();
    expect(screen.getByRole('button', { name: `Lesson 1: ${LESSONS[0].title}` }).getAttribute('aria-current')).toBe('step');
  });

  it('shows the lesson a link opens, with live numbers from the results', () => {
    const l = LESSONS.findIndex((x) => x.id === 'int8-vs-fp8');
    const store = createAppStore({ config: viewConfig(LESSONS[l].view) });
    store.getState().jobStarted(JOB.metrics, 'k');
    store.getState().jobDone(JOB.metrics, 'k', fakeMetrics([
      { format: 'int8', sqnrDb: 17.38, bits: 8 },
      { format: 'fp8_e4m3', sqnrDb: 31.55, bits: 8 },
    ]));
    renderWith(store, <LessonsPanel />);
    expect(screen.getByRole('heading', { level: 3 }).textContent).toContain('INT8 vs FP8');
    const article = screen.getByRole('article');
    expect(article.textContent).toContain('INT8 17.4 dB, FP8 E4M3 31.6 dB');
    // the tensor is not loaded yet: its number is pending, not invented
    expect(article.querySelector('[data-fact="peak"]')?.getAttribute('data-state')).toBe('pending');
  });

  it('Next and Previous step through lessons and apply each view; the step list is keyboard reachable', async () => {
    const store = createAppStore({ config: viewConfig(LESSONS[0].view) });
    renderWith(store, <LessonsPanel />);
    await userEvent.click(screen.getByRole('button', { name: 'Next →' }));
    expect(store.getState().config).toEqual(viewConfig(LESSONS[1].view));
    expect(screen.getByText(`Lesson 2 of ${LESSONS.length}`)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: '← Previous' }));
    expect(store.getState().config).toEqual(viewConfig(LESSONS[0].view));
    expect((screen.getByRole('button', { name: '← Previous' }) as HTMLButtonElement).disabled).toBe(true);
    // keyboard: focus the last step button and press Enter
    const steps = within(screen.getByRole('navigation', { name: 'Lesson steps' })).getAllByRole('button');
    expect(steps).toHaveLength(LESSONS.length);
    steps[LESSONS.length - 1].focus();
    await userEvent.keyboard('{Enter}');
    expect(store.getState().config).toEqual(viewConfig(LESSONS[LESSONS.length - 1].view));
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a "Try" link is a real link through the URL schema and applies in place', async () => {
    const l = LESSONS.findIndex((x) => x.id === 'outlier-channels');
    const store = createAppStore({ config: viewConfig(LESSONS[l].view) });
    renderWith(store, <LessonsPanel />);
    const link = screen.getByRole('link', { name: /Try: One scale per column/ });
    expect(link.getAttribute('href')).toBe('?v=1&format=int8&formats=int8,int4,fp8_e4m3&granularity=column');
    await userEvent.click(link);
    expect(store.getState().config.granularity).toBe('column');
    expect(screen.getByRole('status').textContent).toContain('Showing “One scale per column (channel)”');
    await userEvent.click(screen.getByRole('button', { name: 'Back to the lesson’s view' }));
    expect(store.getState().config.granularity).toBe('row');
  });

  it('says why a number is missing (a job error)', () => {
    const l = LESSONS.findIndex((x) => x.id === 'smoothquant-hadamard');
    const store = createAppStore({ config: viewConfig(LESSONS[l].view) });
    store.getState().jobStarted(JOB.metrics, 'k');
    store.getState().jobFailed(JOB.metrics, 'k', 'transform not available');
    renderWith(store, <LessonsPanel />);
    expect(screen.getByRole('list', { name: 'Numbers not shown' }).textContent).toContain('transform not available');
  });
});

describe('PresetsMenu', () => {
  it('opens, lists every lesson as a link, applies one and closes; Escape closes', async () => {
    const store = createAppStore();
    renderWith(store, <PresetsMenu />);
    const button = screen.getByRole('button', { name: /Presets/ });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const menu = screen.getByRole('region', { name: 'Presets and teacher link' });
    const links = within(menu).getAllByRole('link');
    expect(links).toHaveLength(LESSONS.length + 1);
    await userEvent.click(within(menu).getByRole('link', { name: new RegExp(`^3\\. ${LESSONS[2].title}`) }));
    expect(store.getState().config).toEqual(viewConfig(LESSONS[2].view));
    expect(screen.queryByRole('region', { name: 'Presets and teacher link' })).toBeNull();
    await userEvent.click(button);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Presets and teacher link' })).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('builds a teacher link with the chosen controls hidden, without changing this view', async () => {
    const store = createAppStore({ config: { format: 'int8' } });
    renderWith(store, <PresetsMenu />);
    await userEvent.click(screen.getByRole('button', { name: /Presets/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Transform' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Granularity' }));
    const field = screen.getByLabelText(/Link to share/) as HTMLInputElement;
    expect(field.value).toMatch(/\?v=1&format=int8&hide=granularity,transform$/);
    expect(store.getState().config.hide).toEqual([]);
  });
});

describe('teacher links hide controls', () => {
  it('a hidden control disappears from the sidebar; the notice shows them all again', async () => {
    const store = createAppStore({ config: { hide: ['transform', 'sample', 'scale'] } });
    renderWith(store, <><HiddenControlsNotice /><TensorPicker /><QuantControls /></>);
    expect(screen.queryByLabelText('Transform')).toBeNull();
    expect(screen.queryByLabelText('Sample')).toBeNull();
    expect(screen.queryByLabelText('Scale')).toBeNull();
    expect(screen.getByLabelText('Rounding')).toBeTruthy();
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('Some controls are hidden by this link (3)');
    await userEvent.click(within(note).getByRole('button', { name: 'Show all controls' }));
    expect(store.getState().config.hide).toEqual([]);
    expect(screen.getByLabelText('Transform')).toBeTruthy();
    expect(screen.getByLabelText('Sample')).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('applying a lesson keeps the teacher link’s hidden controls', async () => {
    const store = createAppStore({ config: { hide: ['transform'] } });
    renderWith(store, <LessonsPanel />);
    await userEvent.click(screen.getByRole('button', { name: /^Start/ }));
    expect(store.getState().config.hide).toEqual(['transform']);
    expect(store.getState().config.sample).toBe('weight');
  });
});
