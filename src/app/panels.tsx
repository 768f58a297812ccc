/**
 * The analysis panels shown in the main column, in order. Each panel is a
 * feature component (src/features/<name>) that reads the store through
 * selectors; add a panel by adding one entry here.
 */
import type { ComponentType } from 'react';
import { FormatExplorer } from '../features/format-explorer/FormatExplorer.tsx';
import { MetricsPanel } from './connected/MetricsPanel.tsx';
import { MethodsPanel } from './connected/MethodsPanel.tsx';
import { LessonsPanel } from '../features/lessons/LessonsPanel.tsx';
import { TensorBrowserPanel, selectOpenCheckpoint } from './connected/TensorBrowserPanel.tsx';
import { ModelScanPanel } from './connected/ModelScanPanel.tsx';
import { DiffPanel } from './connected/DiffPanel.tsx';
import type { AppState } from '../state/store.ts';
import { OutlierHeatmapPanel } from './connected/analysis/OutlierHeatmapPanel.tsx';
import { ErrorHeatmapPanel } from './connected/analysis/ErrorHeatmapPanel.tsx';
import { ErrorHistogramsPanel } from './connected/analysis/ErrorHistogramsPanel.tsx';
import { TradeoffPanel } from './connected/analysis/TradeoffPanel.tsx';
import { MatmulPanel } from './connected/analysis/MatmulPanel.tsx';
import { OutlierSplitPanel } from './connected/analysis/OutlierSplitPanel.tsx';
import { LorcPanel } from './connected/analysis/LorcPanel.tsx';

export interface PanelDef {
  id: string;
  title: string;
  Component: ComponentType;
  /** shown only while this holds (default: always) */
  when?(s: AppState): boolean;
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
  { id: 'outlier-heatmap', title: 'Where the large values are: |x| before and after the transform', Component: OutlierHeatmapPanel },
  { id: 'error-heatmap', title: 'Where the error is: x̂ − x of one format', Component: ErrorHeatmapPanel },
  { id: 'error-histogram', title: 'Error histograms on shared bins', Component: ErrorHistogramsPanel },
  { id: 'tradeoff', title: 'SQNR versus bits per element', Component: TradeoffPanel },
  { id: 'matmul', title: 'Matmul error of X·Wᵀ for weight × activation formats', Component: MatmulPanel },
  { id: 'outlier-split', title: 'Keeping outliers in bf16', Component: OutlierSplitPanel },
  { id: 'lorc', title: 'LoRC: low-rank correction of the weight error', Component: LorcPanel },
  { id: 'format-explorer', title: 'Format explorer', Component: FormatExplorer },
  { id: 'methods', title: 'AWQ and SVDQuant next to SmoothQuant and Hadamard, on an activation/weight pair', Component: MethodsPanel },
  { id: 'model-scan', title: 'Whole-model scan: which layers hurt in which format', Component: ModelScanPanel, when: checkpointOpen },
  { id: 'diff', title: 'Compare with a quantized release', Component: DiffPanel, when: checkpointOpen },
];
