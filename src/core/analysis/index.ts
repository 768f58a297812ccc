/** The analysis jobs the engine worker exposes; result types in ./types.ts. */
export * from './types.ts';
export { analyzeFormats, formatPartials, mergeFormatPartials, finishFormats, valueHistogram, DEFAULT_ERROR_BINS, DEFAULT_VALUE_BINS } from './analyzeFormats.ts';
export type { FormatFailure } from './analyzeFormats.ts';
export { channelProfile, heatmapSide, compareHeatmaps, combineSides, errorHeatmap, saturatedPerCell, DEFAULT_OUTLIER_RULE } from './heatmap.ts';
export { tradeoffPoints, paretoFront } from './tradeoff.ts';
export { scaledGridLines } from './gridLines.ts';
export { defaultDeps } from './deps.ts';
