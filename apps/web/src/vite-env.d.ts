/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API (no trailing slash); tRPC is served under `/trpc`. */
  readonly VITE_API_URL?: string;
  /** Clerk publishable key. When set, identity is Clerk's; otherwise the local stand-in's. */
  readonly VITE_CLERK_PUBLISHABLE_KEY?: string;
  /** Base URL of the local Clerk stand-in, used only when no publishable key is set. */
  readonly VITE_CLERK_EMULATOR_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
