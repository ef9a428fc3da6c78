/**
 * `@expectations/router/shared`: what a client takes from the API's own definitions at run time,
 * the statuses an expectation can have and the bounds of every input. Constants only, with no
 * import that reaches server code, so that the SPA can bundle them (its types come from
 * `AppRouter`, imported as a type).
 */
export { expectationStatuses, type ExpectationStatus } from '@expectations/db/constants';
export { limits } from './limits';
