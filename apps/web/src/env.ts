/** Build-time settings (Vite inlines `import.meta.env.VITE_*`), read in one place. */
export interface AppSettings {
  apiUrl: string;
  clerkPublishableKey: string | null;
  clerkEmulatorUrl: string;
}

function baseUrl(value: string | undefined, fallback: string): string {
  return (value?.trim() || fallback).replace(/\/+$/, '');
}

export const settings: AppSettings = {
  apiUrl: baseUrl(import.meta.env.VITE_API_URL, 'http://localhost:3001'),
  clerkPublishableKey: import.meta.env.VITE_CLERK_PUBLISHABLE_KEY?.trim() || null,
  clerkEmulatorUrl: baseUrl(import.meta.env.VITE_CLERK_EMULATOR_URL, 'http://localhost:3002'),
};
