/** Checkpoint browsing (issue 6): props-only pieces; src/app/connected wires them to the store. */
export { TensorBrowser, type TensorBrowserProps } from './TensorBrowser.tsx';
export { OpenFiles, type OpenFilesProps } from './OpenFiles.tsx';
export { PageDrop, type PageDropProps } from './PageDrop.tsx';
export { ReadProgress, type ReadProgressProps } from './ReadProgress.tsx';
export { PackedStatsView, type PackedStatsViewProps } from './PackedStatsView.tsx';
export { pickCheckpointFiles, filesFromDataTransfer } from './pickFiles.ts';
export { fmtBytes, fmtCount } from './browserModel.ts';
