/**
 * The API's public shapes (PRODUCT.md "Public contract"), read from the router's type. Type
 * imports only: of the router, the SPA bundles nothing but the constants of
 * `@expectations/router/shared` (statuses and input bounds).
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './app-router';

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

export type Expectation = Outputs['expectations']['byId'];
export type PublicProfile = Outputs['users']['byId'];
export type ExpectationStatus = Expectation['status'];
export type ExpectationPage = Outputs['expectations']['list'];
export type ExpectationListInput = Exclude<Inputs['expectations']['list'], void | undefined>;
export type ExpectationCreateInput = Inputs['expectations']['create'];
/** What the live feed (`feed.changes`) pushes, each with the feed position as its id. */
export type FeedEvent = Outputs['feed']['changes'] extends AsyncIterable<{ data: infer Event }> ? Event : never;
