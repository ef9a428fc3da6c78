import { useIsFetching, useIsRestoring } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

/** The longest anything waits for the first reads: a person can always reach what it holds back. */
const LONGEST_WAIT_MS = 3000;

/** The browser's next idle moment, or the next task where it cannot say (Safari). */
function whenIdle(callback: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(callback, { timeout: 500 });
    return () => window.cancelIdleCallback(id);
  }
  const timer = window.setTimeout(callback, 1);
  return () => window.clearTimeout(timer);
}

/**
 * True from the browser's first idle moment after the app's first reads answered (or after
 * LONGEST_WAIT_MS), and from then on. What a screen does not need to show its data waits for it:
 * on a slow phone, its scripts would otherwise run in the way of the first screen's.
 */
export function useFirstReadsSettled(): boolean {
  const restoring = useIsRestoring();
  const fetching = useIsFetching() > 0;
  const [readsStarted, setReadsStarted] = useState(false);
  const [settled, setSettled] = useState(false);
  if (fetching && !readsStarted) setReadsStarted(true);

  useEffect(() => {
    if (settled) return;
    const timer = window.setTimeout(() => setSettled(true), LONGEST_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, [settled]);

  useEffect(() => {
    if (settled || restoring || !readsStarted || fetching) return;
    return whenIdle(() => setSettled(true));
  }, [settled, restoring, readsStarted, fetching]);

  return settled;
}
