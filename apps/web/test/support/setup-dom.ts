import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';

// Screens load lazily and answer from a real router on SQLite: with every package's tests
// running at once on two cores, that can take longer than Testing Library's default 1 s.
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no layout: scrolling is a no-op rather than a "not implemented" console error.
window.scrollTo = () => {};

beforeEach(() => {
  window.history.replaceState(null, '', '/');
});

afterEach(() => {
  cleanup();
  // The SPA keeps the feed it showed for the next visit: each test starts as a first visit.
  localStorage.clear();
});
