import { expectationStatuses, limits } from '@expectations/router/shared';
import type { Expectation, ExpectationListInput, ExpectationStatus } from '../api/types';

/** A feed's filters and page size: everything but the cursor (and the paging direction). */
export type FeedInput = Omit<ExpectationListInput, 'cursor' | 'direction'>;

export const feedScopes = ['all', 'mine', 'assigned'] as const;
export type FeedScope = (typeof feedScopes)[number];

export interface FeedFilters {
  scope: FeedScope;
  status: ExpectationStatus | null;
}

export const FEED_PAGE_SIZE = limits.pageSizeDefault;

/** Reads the filters from the address bar; anything unknown means "no filter". */
export function parseFeedFilters(params: URLSearchParams): FeedFilters {
  const scope = params.get('show');
  const status = params.get('status');
  return {
    scope: (feedScopes as readonly string[]).includes(scope ?? '') ? (scope as FeedScope) : 'all',
    status: (expectationStatuses as readonly string[]).includes(status ?? '') ? (status as ExpectationStatus) : null,
  };
}

/** The query string for these filters ('' for the unfiltered feed). */
export function feedSearch(filters: FeedFilters): string {
  const params = new URLSearchParams();
  if (filters.scope !== 'all') params.set('show', filters.scope);
  if (filters.status) params.set('status', filters.status);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The page size and the status filter: the part of a feed's input that is the same for everyone. */
function sharedFeedInput(filters: FeedFilters): FeedInput {
  const input: FeedInput = { limit: FEED_PAGE_SIZE };
  if (filters.status) input.status = filters.status;
  return input;
}

export function feedInputFor(filters: FeedFilters, viewerId: number): FeedInput {
  const input = sharedFeedInput(filters);
  if (filters.scope === 'mine') input.authorId = viewerId;
  if (filters.scope === 'assigned') input.assigneeId = viewerId;
  return input;
}

/** The input for these filters if it needs no viewer id, so is known before the account check answers; else null. */
export function feedInputWithoutViewer(filters: FeedFilters): FeedInput | null {
  return filters.scope === 'all' ? sharedFeedInput(filters) : null;
}

/** Whether a list with this input would contain the expectation. */
export function listIncludes(input: FeedInput, expectation: Expectation): boolean {
  if (input.authorId != null && expectation.author.id !== input.authorId) return false;
  if (input.assigneeId != null && expectation.assignee?.id !== input.assigneeId) return false;
  if (input.status != null && expectation.status !== input.status) return false;
  return true;
}
