import type { ListExpectationsOptions } from '@expectations/db';

/** The filter combinations of expectations.list that tests walk (each has its own statement). */
export function listFilters(authorId: number, assigneeId: number): Array<Omit<ListExpectationsOptions, 'scope' | 'limit' | 'beforeId'>> {
  return [{}, { authorId }, { assigneeId }, { status: 'open' }, { authorId, status: 'open' }, { authorId, assigneeId }];
}
