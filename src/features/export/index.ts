/** Shared panel bits: export buttons, toggles, display number formats. */
export { ExportButtons } from '../../plot/ExportButtons.tsx';
export { downloadText, downloadSvg, downloadPng, composeFigureSvg } from '../../plot/export.ts';
export { Toggle } from './Toggle.tsx';
export { useControllable } from './useControllable.ts';
export * from './format.ts';
