import { expect, it } from 'vitest';
import { newBenchKeys } from '../src/lib/environments';
import { liveFeed } from '../src/suites/live-feed';

// Keeps the live-feed suite from rotting: a few streams and changes, every change delivered to
// every stream exactly once. No timing is asserted; the suite reports it.
it('runs the live-feed suite: every change reaches every open stream once', async () => {
  const result = await liveFeed({ keys: newBenchKeys(), subscriptions: 20, changes: 3 });
  expect(result.subscriptions).toBe(20);
  expect(result.deliveries).toBe(60);
  expect(result.duplicates).toBe(0);
  expect(result.latencyMs.p99).toBeGreaterThan(0);
  expect(result.rssOpenMiB).toBeGreaterThan(0);
  // The heap probe answered: the heap was measured after a collection, with and without the streams.
  expect(result.heapBeforeMiB).toBeGreaterThan(0);
  expect(result.heapOpenMiB).toBeGreaterThan(0);
});
