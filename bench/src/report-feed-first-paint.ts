import { fixed } from './report-tables';
import { waterfallLines, type FeedFirstPaintResult, type FeedFirstPaintRun, type FirstPaintCell } from './suites/feed-first-paint';

function describeRun(run: FeedFirstPaintRun): string {
  return `${run.commit}, ${run.measuredAt.slice(0, 10)}`;
}

function cellText(cell: FirstPaintCell | undefined): string {
  return cell ? `**${fixed(cell.medianMs)}** (${fixed(cell.minMs)}–${fixed(cell.maxMs)})` : '–';
}

/** The feed's first paint in Chromium, the baseline beside the latest run: docs/benchmarks.md. */
export function renderFeedFirstPaintSection(result: FeedFirstPaintResult): string[] {
  const runs = (
    [
      ['before', result.baseline],
      ['after', result.latest],
    ] as const
  ).flatMap(([side, run]) => (run ? [{ side, run }] : []));
  const reference = result.latest ?? result.baseline;
  if (!reference) return [];
  const cellOf = (run: FeedFirstPaintRun | undefined, cpuThrottle: number, visit: string) =>
    run?.cells.find((cell) => cell.cpuThrottle === cpuThrottle && cell.visit === visit);
  const lines = [
    '## SPA: navigation to the first expectation card painted',
    '',
    `Headless Chromium (Debian's, a 412 × 915 viewport) against the SPA's production build on \`vite preview\`, clerk-js and ` +
      `@clerk/ui served through \`/__clerk\` by the stand-in, the API's build on SQLite, one signed-in person with ` +
      `${reference.expectations} expectations (\`pnpm bench --only feed-first-paint\`). Timed from navigation start to the ` +
      'paint of the first card\'s title, as Chromium\'s Element Timing reports it (the probe marks the title the moment the card ' +
      'enters the DOM, before its frame). CPU throttled with `Emulation.setCPUThrottlingRate`; 4× plays a mid-range phone. A first ' +
      'visit is a new browser context holding only the session\'s cookies (empty HTTP cache, nothing stored by the SPA); a repeat ' +
      'visit is a new page in a context that loaded the feed before (warm HTTP cache and whatever the SPA keeps). The four cells ' +
      'take turns within each round' +
      (result.measuredTogether
        ? `, and so do the two builds: the one before (${result.baseline?.commit}) and the one after, served side by side at two origins ` +
          'against the same API and stand-in (`--spa-checkout`), so that both saw the same load'
        : '') +
      '. Goal: 4× repeat visit ≤ 1,000 ms, 4× first visit ≤ 2,000 ms. Median (min–max) in ms:',
    '',
    '| run | samples | load average (1 min) | 1× first | 1× repeat | 4× first | 4× repeat |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
    ...runs.map(
      ({ side, run }) =>
        `| ${side}: ${describeRun(run)} | ${run.rounds} | ${fixed(run.loadAverage[0], 2)} → ${fixed(run.loadAverage[1], 2)} | ` +
        `${cellText(cellOf(run, 1, 'first'))} | ${cellText(cellOf(run, 1, 'repeat'))} | ${cellText(cellOf(run, 4, 'first'))} | ${cellText(cellOf(run, 4, 'repeat'))} |`,
    ),
    '',
    ...(result.baseline && result.latest
      ? [
          'What changed between the two runs (apps/web; docs/web.md, "Loading"): index.html preloads clerk-js and @clerk/ui, ' +
            'at the URLs `<ClerkProvider>` computes with the same @clerk/shared function, instead of the browser learning of ' +
            'clerk-js only after React mounted and of @clerk/ui only after clerk-js ran; the account check and the feed\'s first ' +
            'page go in one batched request; the signed-in app and the first screen render at once once preloaded (`React.lazy` ' +
            'suspended even then, and React held the screen back up to 300 ms after its fallback); Clerk\'s ' +
            '`<OrganizationSwitcher/>` and `<UserButton/>` mount once the first reads have answered, so their chunks no longer ' +
            'run in the feed\'s way; Clerk\'s UI (@clerk/ui) is loaded when a Clerk component first mounts instead of before ' +
            'clerk-js may ask who is signed in (`ui={{ ClerkUI }}`, src/identity/deferredClerkUI.ts); and a repeat visit shows ' +
            'the feed saved in localStorage for the same Clerk user and team the moment Clerk has confirmed them, while the ' +
            'batch revalidates it ("Refreshing…"). The "after" build also keeps the live feed open, from once the first reads ' +
            'have answered.',
          '',
        ]
      : []),
  ];
  for (const { side, run } of runs) {
    for (const waterfall of run.waterfalls.filter((candidate) => candidate.cpuThrottle === 4)) {
      lines.push(
        `Waterfall at 4×, ${waterfall.visit} visit, ${side} (${describeRun(run)}; the sample nearest the median; request start → response end, from navigation start):`,
        '',
        '```',
        ...waterfallLines(waterfall),
        '```',
        '',
      );
    }
  }
  return lines;
}
