import { expectationsRouter } from './procedures/expectations';
import { feedRouter } from './procedures/feed';
import { usersRouter } from './procedures/users';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  users: usersRouter,
  expectations: expectationsRouter,
  feed: feedRouter,
});

/** The API's type: the SPA imports this type only, never the router's code. */
export type AppRouter = typeof appRouter;

/** Calls procedures in-process with a context built by hand (tests, scripts). */
export const createCaller = createCallerFactory(appRouter);
