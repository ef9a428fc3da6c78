import { feedEventKinds } from '../constants';
import { inList } from '../schema-sql';
import type { ColumnKit } from './kit';

/**
 * The live feed's outbox: one row per change an open feed may need to show, appended in the same
 * transaction as the change itself (an expectation written through the queries, a profile or
 * membership written by the mirror writer). `id` is the feed's order and what clients resume
 * from (`lastEventId`): on PostgreSQL the appending transactions take a lock first, so ids commit
 * in increasing order and a reader that has seen id N has seen every id below it
 * (src/feed/append.ts).
 *
 * Rows name what changed, not what it looked like: a reader joins the current row, which is what
 * a client would fetch anyway. No foreign keys: the mirror's rows arrive in any order and the
 * retention prunes this table on its own (src/feed/retention.ts).
 */
export function defineFeedEvents(kit: ColumnKit) {
  return kit.table(
    'feed_events',
    {
      id: kit.serialId('id'),
      kind: kit.text('kind').notNull(),
      /** The team (organizations mirror id) of an expectation or of an ended membership; null for a personal expectation. */
      organizationId: kit.integer('organization_id'),
      expectationId: kit.integer('expectation_id'),
      /** The user (users mirror id) whose profile changed, or whose membership ended; null when the whole team's ended. */
      userId: kit.integer('user_id'),
      createdAt: kit.epochMs('created_at').notNull(),
    },
    (table) => [
      kit.check('feed_events_kind_check', inList(table.kind, feedEventKinds)),
      // The retention's prune walks this from the oldest row and stops after one batch.
      kit.index('feed_events_created_idx', [table.createdAt]),
    ],
  );
}
