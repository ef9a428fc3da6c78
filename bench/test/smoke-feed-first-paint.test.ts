import { expect, it } from 'vitest';
import { renderFeedFirstPaintSection } from '../src/report-feed-first-paint';
import { feedFirstPaint } from '../src/suites/feed-first-paint';

// Keeps the first-paint suite from rotting: one round of each cell against the real stack in
// headless Chromium. No timing is asserted; that is what `pnpm bench` reports.
it('runs the feed first-paint suite: every cell paints a seeded card, and the waterfall names the requests that lead to it', async () => {
  const { latest: run } = await feedFirstPaint({ rounds: 1 });
  if (!run) throw new Error('the suite returned no run of this checkout');
  expect(run.cells.map((cell) => `${cell.cpuThrottle}× ${cell.visit}`)).toEqual(['1× first', '1× repeat', '4× first', '4× repeat']);
  for (const cell of run.cells) {
    expect(cell.samplesMs).toHaveLength(1);
    expect(cell.medianMs).toBeGreaterThan(0);
  }
  for (const waterfall of run.waterfalls) {
    const requests = waterfall.requests.map((request) => request.what);
    expect(requests).toContain('clerk-js clerk.browser.js');
    expect(requests).toContain('Clerk FAPI /v1/client');
    expect(requests.some((what) => what.startsWith('API ') && what.includes('expectations.list'))).toBe(true);
  }
  const section = renderFeedFirstPaintSection({ baseline: run, latest: run }).join('\n');
  expect(section).toContain(`| before: ${run.commit}, ${run.measuredAt.slice(0, 10)} | 1 |`);
  expect(section).toContain('Waterfall at 4×, repeat visit, after');
});
