/**
 * The API's public shapes (PRODUCT.md "Public contract"), read from the router's type. Type
 * imports only: nothing of the router is bundled into the SPA.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { limits } from '@expectations/router';
import type { AppRouter } from './app-router';

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

export type Expectation = Outputs['expectations']['byId'];
export type PublicProfile = Outputs['users']['byId'];
export type ExpectationStatus = Expectation['status'];
export type ExpectationPage = Outputs['expectations']['list'];
export type ExpectationListInput = Exclude<Inputs['expectations']['list'], void | undefined>;
export type ExpectationCreateInput = Inputs['expectations']['create'];

export const expectationStatuses = ['open', 'met', 'missed', 'withdrawn'] as const satisfies readonly ExpectationStatus[];

type RouterLimits = typeof limits;

/** The API's input bounds, repeated so the form can say what is wrong before sending. */
export const expectationLimits: { titleMax: RouterLimits['titleMaxLength']; detailsMax: RouterLimits['detailsMaxLength'] } = {
  titleMax: 200,
  detailsMax: 5000,
};
