export { appRouter, createCaller, type AppRouter } from './app-router';
export { createInnerContext, type Context, type RouterLogger, type SessionAuth } from './context';
export { INTERNAL_ERROR_MESSAGE, type InputIssue } from './error-formatter';
export { limits } from './limits';
export type { Expectation, Page, PublicProfile } from './outputs';
export { ACCOUNT_NOT_READY_MESSAGE, TEAM_MEMBERSHIP_ENDED_MESSAGE, TEAM_NOT_READY_MESSAGE } from './trpc';
