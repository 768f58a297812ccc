/**
 * The analysis panels shown in the main column, in order. Each panel is a
 * feature component (src/features/<name>) that reads the store through
 * selectors; add a panel by adding one entry here.
 */
import type { ComponentType } from 'react';
import { FormatExplorer } from '../features/format-explorer/FormatExplorer.tsx';

export interface PanelDef {
  id: string;
  title: string;
  Component: ComponentType;
}

export const PANELS: readonly PanelDef[] = [
  { id: 'format-explorer', title: 'Format explorer', Component: FormatExplorer },
];
