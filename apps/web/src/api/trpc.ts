import { createTRPCReact } from '@trpc/react-query';
// Type only: the SPA must never bundle server code.
import type { AppRouter } from './app-router';

export const trpc = createTRPCReact<AppRouter>();
