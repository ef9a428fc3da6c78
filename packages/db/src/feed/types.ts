import type { ExpectationWithPeople, PublicProfile } from '../queries/types';

/**
 * One `feed_events` row as the feed reads it: with the current state of what it names (the
 * expectation with both people, or the public profile), joined in the same statement.
 */
export type FeedRecord =
  | {
      id: number;
      kind: 'expectation.created' | 'expectation.updated';
      /** The expectation's team (organizations mirror id), or null for a personal one. */
      organizationId: number | null;
      expectation: ExpectationWithPeople;
    }
  | { id: number; kind: 'profile.updated'; profile: PublicProfile }
  | {
      id: number;
      kind: 'membership.ended';
      /** Null when the team had not been mirrored: then no open feed was in it. */
      organizationId: number | null;
      /** The member, or null when the whole team was deleted (or the member was not mirrored). */
      userId: number | null;
    };

/** Whose feed a replay is for: a team's (its mirror id), or the caller's personal one (their users mirror id). */
export type FeedScope = { organizationId: number } | { personalUserId: number };

/** Where a profile change shows: the teams and the personal feeds in which that person appears. */
export interface ProfileAudience {
  /** Teams they are a live member of, or appear in an expectation of (as author or assignee). */
  organizationIds: number[];
  /** Users whose personal feed shows them: themselves, and whoever shares a personal expectation with them. */
  personalUserIds: number[];
}

/** The ids the feed holds: null for both when it is empty. The newest row is never pruned. */
export interface FeedBounds {
  oldestId: number | null;
  newestId: number | null;
}

/** How the live feed reads `feed_events`: the one process-wide reader, and each subscription's replay. */
export interface FeedQueries {
  /** Every scope's events after `afterId`, oldest first, at most `limit`. */
  readFeedEvents(afterId: number, limit: number): Promise<FeedRecord[]>;
  /**
   * The events of one scope with `afterId < id <= throughId`, oldest first, at most `limit`:
   * expectations of the scope, and profile changes of people who appear in it. Never
   * `membership.ended`, which only the server acts on.
   */
  replayFeedEvents(scope: FeedScope, afterId: number, throughId: number, limit: number): Promise<FeedRecord[]>;
  /** Where `userId`'s profile change shows (see ProfileAudience). */
  profileAudience(userId: number): Promise<ProfileAudience>;
  feedBounds(): Promise<FeedBounds>;
}
