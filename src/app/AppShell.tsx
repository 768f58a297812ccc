/** Page layout: header, notices, the controls column and the panels. */
import { Suspense } from 'react';
import { PANELS, type PanelDef } from './panels.tsx';
import { useAppStore } from '../state/store.ts';
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

function PanelSection({ panel: { id, title, Component, when } }: { panel: PanelDef }) {
  const shown = useAppStore(when ?? always);
  if (!shown) return null;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-panel={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Suspense fallback={<p className="muted" aria-busy="true">Loading…</p>}>
        <Component />
      </Suspense>
    </section>
  );
}

export function AppShell() {
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
          {PANELS.map((p) => <PanelSection key={p.id} panel={p} />)}
        </main>
      </div>
    </div>
  );
}
