/** The root component: provides the store and lays out the shell. */
import { StrictMode } from 'react';
import { StoreProvider, type AppStore } from '../state/store.ts';
import { AppShell } from './AppShell.tsx';

export function App({ store }: { store: AppStore }) {
  return (
    <StrictMode>
      <StoreProvider store={store}>
        <AppShell />
      </StoreProvider>
    </StrictMode>
  );
}
