import '@mantine/core/styles.css';
import './base.css';
import { MantineProvider } from '@mantine/core';
import { ComponentType, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { SessionProvider } from './session';
import { theme } from './theme';

/** Renders one of the web apps under its path (/admin, /app), with its own session storage key. */
export function mountApp({ basename, storageKey, App }: { basename: string; storageKey: string; App: ComponentType }): void {
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <SessionProvider storageKey={storageKey}>
          <BrowserRouter basename={basename}>
            <App />
          </BrowserRouter>
        </SessionProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
