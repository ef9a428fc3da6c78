import type { ComponentProps } from 'react';
import type { ClerkProvider } from '@clerk/react';

type Appearance = NonNullable<ComponentProps<typeof ClerkProvider>['appearance']>;

/** Clerk's components dressed in the app's own palette and shapes (src/styles.css). */
export const clerkAppearance: Appearance = {
  variables: {
    colorPrimary: '#1f4f99',
    colorPrimaryForeground: '#ffffff',
    colorForeground: '#18202e',
    colorMutedForeground: '#4b5565',
    colorBackground: '#ffffff',
    colorInput: '#ffffff',
    colorInputForeground: '#18202e',
    colorDanger: '#a4161a',
    colorSuccess: '#14613a',
    colorBorder: '#d5dbe5',
    colorRing: '#c2410c',
    borderRadius: '10px',
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
  options: {
    unsafe_disableDevelopmentModeWarnings: true,
  },
  elements: {
    cardBox: { boxShadow: '0 1px 2px rgb(16 24 40 / 6%), 0 1px 3px rgb(16 24 40 / 10%)', border: '1px solid #d5dbe5' },
    formButtonPrimary: { fontWeight: 600 },
    userButtonTrigger: { borderRadius: '999px' },
    // Clerk's default badge ("Primary", "This device") is too faint to read on white.
    badge: { color: '#4b5565', borderColor: '#d5dbe5' },
  },
};
