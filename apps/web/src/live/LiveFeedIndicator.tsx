import { useEffect, useState } from 'react';
import { useOnline } from '../connectivity/useOnline';
import { useLiveFeedState, type LiveFeedState } from './LiveFeed';

/**
 * How long the feed may be reconnecting before it says so: the stream is renewed with a fresh
 * session token about once a minute, which takes a moment and is nobody's concern.
 */
const RECONNECTING_SHOWN_AFTER_MS = 3000;

/** The live feed's state, with "reconnecting" held back until it has lasted a while. */
function useShownState(): LiveFeedState {
  const state = useLiveFeedState();
  const [reconnectingLong, setReconnectingLong] = useState(false);
  useEffect(() => {
    if (state !== 'reconnecting') {
      setReconnectingLong(false);
      return;
    }
    const timer = window.setTimeout(() => setReconnectingLong(true), RECONNECTING_SHOWN_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [state]);
  return state === 'reconnecting' && !reconnectingLong ? 'live' : state;
}

/**
 * A quiet word on whether the feed is live. Nothing while the first connection is made or when
 * the browser is offline (the offline banner says so already).
 */
export function LiveFeedIndicator() {
  const state = useShownState();
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
