import type { Expectation, PublicProfile } from '../outputs';

/**
 * What `feed.changes` pushes, each as a tracked SSE message whose id is the feed's position
 * (resume from it with `lastEventId`):
 * - `ready`: the stream is live; everything from this position on will be pushed.
 * - `resync`: changes were missed that the server will not replay (`history_expired`: the client
 *   resumed from before the feed's retained history, or from an id this database never issued;
 *   `too_far_behind`: more changes than a replay carries): refetch what is shown, then carry on.
 * - `expectation.created` / `expectation.updated`: the expectation as `expectations.byId` returns
 *   it now (apply it as an upsert by id).
 * - `profile.updated`: a person shown in the feed changed their name or avatar (or was deleted).
 */
export type FeedEvent =
  | { type: 'ready' }
  | { type: 'resync'; reason: 'history_expired' | 'too_far_behind' }
  | { type: 'expectation.created' | 'expectation.updated'; expectation: Expectation }
  | { type: 'profile.updated'; profile: PublicProfile };

/** A change as the feed delivers it: the client's event and the feed position it is at. */
export interface PositionedFeedEvent {
  id: number;
  event: FeedEvent;
}
