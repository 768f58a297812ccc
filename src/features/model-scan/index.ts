/** Props-only panels of the whole-model view (issue 7); the app wires them to its store. */
export { ScanTable, type ScanTableProps } from './ScanTable.tsx';
export { WorstTensors, type WorstTensorsProps } from './WorstTensors.tsx';
export { RecommendPanel, type RecommendPanelProps } from './RecommendPanel.tsx';
export { DiffTable, type DiffTableProps } from './DiffTable.tsx';
