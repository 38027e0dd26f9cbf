import { createTheme } from '@mantine/core';

/** The seed's indigo, one shade darker than Mantine's default so white text on it passes WCAG AA (4.5:1). */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
});
