/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API (no trailing slash); tRPC is served under `/trpc`. */
  readonly VITE_API_URL?: string;
  /** Clerk publishable key: a real instance's, or the local stand-in's (from its GET /admin/config). */
  readonly VITE_CLERK_PUBLISHABLE_KEY?: string;
  /** Clerk's `proxyUrl`: `/__clerk` locally, where the SPA's server forwards to the stand-in; unset for real Clerk. */
  readonly VITE_CLERK_PROXY_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
