import { useOnline } from '../connectivity/useOnline';
import { useLiveFeedState } from './LiveFeed';

/**
 * A quiet word on whether the feed is live. Nothing while the first connection is made or when
 * the browser is offline (the offline banner says so already).
 */
export function LiveFeedIndicator() {
  const state = useLiveFeedState();
  const online = useOnline();
  const shown = online && (state === 'live' || state === 'reconnecting');
  return (
    <p className={`live-indicator live-indicator--${state}`} role="status" aria-live="polite" hidden={!shown}>
      {state === 'live' ? (
        <>
          <span className="live-indicator__dot" aria-hidden="true" />
          Live
        </>
      ) : state === 'reconnecting' ? (
        'Live updates paused, reconnecting…'
      ) : null}
    </p>
  );
}
