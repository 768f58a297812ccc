/**
 * The analysis panels shown in the main column, in order. Each panel is a
 * feature component (src/features/<name>) that reads the store through
 * selectors; add a panel by adding one entry here.
 */
import { lazy, type ComponentType } from 'react';
import { MetricsPanel } from './connected/MetricsPanel.tsx';
import { ErrorHistogramsPanel } from './connected/analysis/ErrorHistogramsPanel.tsx';
import { LessonsPanel } from '../features/lessons/LessonsPanel.tsx';
import { TensorBrowserPanel, selectOpenCheckpoint } from './connected/TensorBrowserPanel.tsx';
import type { AppState } from '../state/store.ts';

/**
 * Panels other than the metrics table and its histograms are split into their own chunks (React.lazy,
 * `deferred`): the first bundle parses and renders less, and their ~20 requests wait until the engine
 * has loaded the first tensor (AppShell), so they do not queue ahead of the engine workers' scripts. A
 * busy placeholder stands in for each until it renders.
 */
const FormatExplorer = lazy(() => import('../features/format-explorer/FormatExplorer.tsx').then((m) => ({ default: m.FormatExplorer })));
const MethodsPanel = lazy(() => import('./connected/MethodsPanel.tsx').then((m) => ({ default: m.MethodsPanel })));
const ModelScanPanel = lazy(() => import('./connected/ModelScanPanel.tsx').then((m) => ({ default: m.ModelScanPanel })));
const DiffPanel = lazy(() => import('./connected/DiffPanel.tsx').then((m) => ({ default: m.DiffPanel })));
const OutlierHeatmapPanel = lazy(() => import('./connected/analysis/OutlierHeatmapPanel.tsx').then((m) => ({ default: m.OutlierHeatmapPanel })));
const ErrorHeatmapPanel = lazy(() => import('./connected/analysis/ErrorHeatmapPanel.tsx').then((m) => ({ default: m.ErrorHeatmapPanel })));
const TradeoffPanel = lazy(() => import('./connected/analysis/TradeoffPanel.tsx').then((m) => ({ default: m.TradeoffPanel })));
const MatmulPanel = lazy(() => import('./connected/analysis/MatmulPanel.tsx').then((m) => ({ default: m.MatmulPanel })));
const OutlierSplitPanel = lazy(() => import('./connected/analysis/OutlierSplitPanel.tsx').then((m) => ({ default: m.OutlierSplitPanel })));
const LorcPanel = lazy(() => import('./connected/analysis/LorcPanel.tsx').then((m) => ({ default: m.LorcPanel })));

export interface PanelDef {
  id: string;
  title: string;
  Component: ComponentType;
  /** shown only while this holds (default: always) */
  when?(s: AppState): boolean;
  /** a lazy chunk, loaded once the first tensor is in (AppShell) */
  deferred?: boolean;
}

const checkpointOpen = (s: AppState) => selectOpenCheckpoint(s) !== null;

/**
 * Analysis panels are props-only (src/features/*); each gets a small store →
 * props adapter in src/app/connected/ that reads results[JOB.x] through
 * selectors (see src/state/resultTypes.ts for what each job holds).
 */
export const PANELS: readonly PanelDef[] = [
  { id: 'lessons', title: 'Guided lessons', Component: LessonsPanel },
  { id: 'checkpoint', title: 'Tensors in this checkpoint', Component: TensorBrowserPanel, when: checkpointOpen },
  { id: 'metrics', title: 'Error of each format on this tensor', Component: MetricsPanel },
  { id: 'outlier-heatmap', title: 'Where the large values are: |x| before and after the transform', Component: OutlierHeatmapPanel, deferred: true },
  { id: 'error-heatmap', title: 'Where the error is: x̂ − x of one format', Component: ErrorHeatmapPanel, deferred: true },
  { id: 'error-histogram', title: 'Error histograms on shared bins', Component: ErrorHistogramsPanel },
  { id: 'tradeoff', title: 'SQNR versus bits per element', Component: TradeoffPanel, deferred: true },
  { id: 'matmul', title: 'Matmul error of X·Wᵀ for weight × activation formats', Component: MatmulPanel, deferred: true },
  { id: 'outlier-split', title: 'Keeping outliers in bf16', Component: OutlierSplitPanel, deferred: true },
  { id: 'lorc', title: 'LoRC: low-rank correction of the weight error', Component: LorcPanel, deferred: true },
  { id: 'format-explorer', title: 'Format explorer', Component: FormatExplorer, deferred: true },
  { id: 'methods', title: 'AWQ and SVDQuant next to SmoothQuant and Hadamard, on an activation/weight pair', Component: MethodsPanel, deferred: true },
  { id: 'model-scan', title: 'Whole-model scan: which layers hurt in which format', Component: ModelScanPanel, when: checkpointOpen, deferred: true },
  { id: 'diff', title: 'Compare with a quantized release', Component: DiffPanel, when: checkpointOpen, deferred: true },
];
