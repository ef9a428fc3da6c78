/** Build-time settings (Vite inlines `import.meta.env.VITE_*`), read in one place. */
export interface AppSettings {
  apiUrl: string;
  /** The Clerk instance's publishable key (locally: the stand-in's). */
  clerkPublishableKey: string;
  /** Where clerk-js finds Clerk's Frontend API and scripts, when not at the key's own host. */
  clerkProxyUrl: string | undefined;
}

function baseUrl(value: string | undefined, fallback: string): string {
  return (value?.trim() || fallback).replace(/\/+$/, '');
}

export const settings: AppSettings = {
  apiUrl: baseUrl(import.meta.env.VITE_API_URL, 'http://localhost:3001'),
  clerkPublishableKey: import.meta.env.VITE_CLERK_PUBLISHABLE_KEY?.trim() ?? '',
  clerkProxyUrl: import.meta.env.VITE_CLERK_PROXY_URL?.trim() || undefined,
};
