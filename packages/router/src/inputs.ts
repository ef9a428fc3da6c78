import { z } from 'zod';
import { expectationStatuses } from '@expectations/db/constants';

import { limits } from './limits';

export const rowId = z.int({ error: 'Must be a whole number' }).positive('Must be a positive id');

export const pageSize = z
  .int({ error: 'limit must be a whole number' })
  .min(1, 'limit must be at least 1')
  .max(limits.pageSizeMax, `limit must be at most ${limits.pageSizeMax}`)
  .default(limits.pageSizeDefault);

export const status = z.enum(expectationStatuses, {
  error: `status must be one of: ${expectationStatuses.join(', ')}`,
});

// maxLength counts UTF-16 code units, as the browser's `maxlength` attribute does.
export const title = z
  .string({ error: 'title must be text' })
  .trim()
  .min(1, 'title must not be empty')
  .max(limits.titleMaxLength, `title must be at most ${limits.titleMaxLength} characters`);

export const details = z
  .string({ error: 'details must be text' })
  .max(limits.detailsMaxLength, `details must be at most ${limits.detailsMaxLength} characters`);

export const dueOn = z.iso.date({ error: 'dueOn must be a real calendar date written YYYY-MM-DD, e.g. 2025-03-07' });

export const search = z
  .string({ error: 'query must be text' })
  .max(limits.searchMaxLength, `query must be at most ${limits.searchMaxLength} characters`);

/**
 * `@trpc/react-query`'s `useInfiniteQuery` (the SPA's feed) adds `direction` to a paged query's
 * input: `forward` for the next page, `backward` for a previous one. Pages here are read newest
 * first, by cursor, forward only: `forward` is accepted (and changes nothing), `backward` refused.
 */
export const pagingDirection = z.literal('forward', { error: 'direction must be "forward": pages are read newest first, by nextCursor' }).optional();
