/** Page layout: header, notices, the controls column and the panels. */
import { Suspense, useEffect, useState } from 'react';
import { PANELS, type PanelDef } from './panels.tsx';
import { useAppStore, type AppState } from '../state/store.ts';
import { JOB } from '../state/resultTypes.ts';
import { Notice } from '../ui/Notice.tsx';
import { TensorPicker } from '../features/tensor-picker/TensorPicker.tsx';
import { CopyLink } from '../features/app-shell/CopyLink.tsx';
import { QuantControls } from '../features/app-shell/QuantControls.tsx';
import { FormatControls } from '../features/app-shell/FormatControls.tsx';
import { HiddenControlsNotice } from '../features/lessons/Hideable.tsx';
import { PresetsMenu } from '../features/lessons/PresetsMenu.tsx';

function Notices() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <Notice key={n.id} tone={n.tone} title={n.title} details={n.details} onDismiss={() => dismiss(n.id)} />
      ))}
    </div>
  );
}

const always = () => true;

/**
 * The engine has loaded the first tensor (or failed to): its worker scripts are in, so the deferred panels'
 * chunks no longer queue ahead of them, and they load and render while the workers compute the metrics.
 */
const firstTensorIn = (s: AppState) => {
  const t = s.results[JOB.tensor];
  return t !== undefined && (t.data !== null || t.status === 'error');
};

/** Deferred panels wait at most this long for the first tensor (a huge file, a file link without its file). */
const DEFER_MAX_MS = 3000;

function useDeferredPanelsReady(): boolean {
  const tensorIn = useAppStore(firstTensorIn);
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setTimedOut(true), DEFER_MAX_MS);
    return () => clearTimeout(t);
  }, []);
  // once shown, the panels stay
  const [latched, setLatched] = useState(false);
  const now = tensorIn || timedOut;
  if (now && !latched) setLatched(true);
  return latched || now;
}

const loading = <p className="muted" aria-busy="true">Loading…</p>;

function PanelSection({ panel: { id, title, Component, when, deferred }, ready }: { panel: PanelDef; ready: boolean }) {
  const shown = useAppStore(when ?? always);
  if (!shown) return null;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-panel={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {deferred && !ready ? loading : (
        <Suspense fallback={loading}>
          <Component />
        </Suspense>
      )}
    </section>
  );
}

export function AppShell() {
  const ready = useDeferredPanelsReady();
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <h1>quantscope</h1>
          <p className="tagline">what low-precision formats do to real tensors: in your browser, nothing uploaded</p>
        </div>
        <div className="topbar-actions">
          <PresetsMenu />
          <CopyLink />
        </div>
      </header>
      <Notices />
      <div className="layout">
        <aside className="controls" aria-label="Settings">
          <HiddenControlsNotice />
          <TensorPicker />
          <FormatControls />
          <QuantControls />
        </aside>
        <main className="panels">
          {PANELS.map((p) => <PanelSection key={p.id} panel={p} ready={ready} />)}
        </main>
      </div>
    </div>
  );
}
