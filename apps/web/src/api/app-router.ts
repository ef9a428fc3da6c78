// The router's type, never its code: Vite must not bundle anything from the server.
export type { AppRouter } from '@expectations/router';
