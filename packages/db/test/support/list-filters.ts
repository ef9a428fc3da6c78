import type { ListExpectationsOptions } from '@expectations/db';

/** The filter combinations of expectations.list that tests walk (each has its own statement). */
export function listFilters(authorId: number, assigneeId: number): Array<Omit<ListExpectationsOptions, 'limit' | 'beforeId'>> {
  return [{}, { authorId }, { assigneeId }, { status: 'open' }, { authorId, status: 'open' }, { authorId, assigneeId }];
}

/**
 * expectations.list's page of one team (`organizationId`), or of personal expectations (null):
 * its own conditions with the team's added, in its order. The list does not take a team yet; this
 * is the walk the team-scoped indexes are for.
 */
export function teamScopedPageSql(
  filter: Omit<ListExpectationsOptions, 'limit' | 'beforeId'>,
  beforeId: number | undefined,
  organizationId: number | null,
): { sql: string; params: unknown[] } {
  const conditions = [organizationId === null ? 'organization_id IS NULL' : 'organization_id = ?'];
  const params: unknown[] = organizationId === null ? [] : [organizationId];
  for (const [column, value] of [['id <', beforeId], ['author_id =', filter.authorId], ['assignee_id =', filter.assigneeId], ['status =', filter.status]] as const) {
    if (value === undefined) continue;
    conditions.push(`${column} ?`);
    params.push(value);
  }
  return { sql: `SELECT id, title FROM expectations WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT 20`, params };
}
