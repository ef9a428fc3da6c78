import { z } from 'zod';
import { expectationStatuses } from '@expectations/db/constants';

import { limits } from './limits';

/** Ids are 32-bit on both engines (PostgreSQL's integer), so a larger number names nothing. */
export const ROW_ID_MAX = 2_147_483_647;

export const rowId = z
  .int({ error: 'Must be a whole number' })
  .positive('Must be a positive id')
  .max(ROW_ID_MAX, `Must be an id, at most ${ROW_ID_MAX}`);

export const pageSize = z
  .int({ error: 'limit must be a whole number' })
  .min(1, 'limit must be at least 1')
  .max(limits.pageSizeMax, `limit must be at most ${limits.pageSizeMax}`)
  .default(limits.pageSizeDefault);

export const status = z.enum(expectationStatuses, {
  error: `status must be one of: ${expectationStatuses.join(', ')}`,
});

/** Text with no NUL character: no person types one, and PostgreSQL cannot store it. */
export const withoutNul = (field: string) => [(value: string) => !value.includes('\u0000'), `${field} must not contain the NUL character`] as const;

// maxLength counts UTF-16 code units, as the browser's `maxlength` attribute does.
export const title = z
  .string({ error: 'title must be text' })
  .trim()
  .min(1, 'title must not be empty')
  .max(limits.titleMaxLength, `title must be at most ${limits.titleMaxLength} characters`)
  .refine(...withoutNul('title'));

export const details = z
  .string({ error: 'details must be text' })
  .max(limits.detailsMaxLength, `details must be at most ${limits.detailsMaxLength} characters`)
  .refine(...withoutNul('details'));

export const dueOn = z.iso.date({ error: 'dueOn must be a real calendar date written YYYY-MM-DD, e.g. 2025-03-07' });

export const search = z
  .string({ error: 'query must be text' })
  .max(limits.searchMaxLength, `query must be at most ${limits.searchMaxLength} characters`)
  .refine(...withoutNul('query'));

/**
 * `@trpc/react-query`'s `useInfiniteQuery` (the SPA's feed) adds `direction` to a paged query's
 * input: `forward` for the next page, `backward` for a previous one. Pages here are read newest
 * first, by cursor, forward only: `forward` is accepted (and changes nothing), `backward` refused.
 */
export const pagingDirection = z.literal('forward', { error: 'direction must be "forward": pages are read newest first, by nextCursor' }).optional();
