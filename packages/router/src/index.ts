export { appRouter, createCaller, type AppRouter } from './app-router';
export { createInnerContext, type Context, type RouterLogger, type SessionAuth } from './context';
export { INTERNAL_ERROR_MESSAGE, type InputIssue } from './error-formatter';
export { limits } from './limits';
export type { Expectation, Page, PublicProfile } from './outputs';
export type { FeedEvent } from './feed/events';
export { FeedHub, type FeedHubOptions, type FeedSource } from './feed/feed-hub';
export { FEED_REPLAY_LIMIT } from './procedures/feed';
export { ACCOUNT_NOT_READY_MESSAGE, SIGN_IN_FIRST_MESSAGE, TEAM_MEMBERSHIP_ENDED_MESSAGE, TEAM_NOT_READY_MESSAGE } from './trpc';
