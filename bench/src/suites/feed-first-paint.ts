import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../lib/chromium';
import { median } from '../lib/load';
import { repoRoot } from '../lib/processes';
import { startSpaStack, type SpaPerson, type SpaSite, type SpaStack } from '../lib/spa-stack';

export type Visit = 'first' | 'repeat';

/** Navigation → first expectation card painted, for one CPU speed and one kind of visit. */
export interface FirstPaintCell {
  /** Chromium's CPU throttling rate (`Emulation.setCPUThrottlingRate`): 4 plays a mid-range phone. */
  cpuThrottle: number;
  visit: Visit;
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** One request of a page load, as Resource Timing saw it, relative to navigation start. */
export interface WaterfallRequest {
  what: string;
  startMs: number;
  endMs: number;
}

export interface Waterfall {
  cpuThrottle: number;
  visit: Visit;
  firstCardMs: number;
  requests: WaterfallRequest[];
}

export interface FeedFirstPaintRun {
  measuredAt: string;
  /** The commit measured, `+` when the working tree had changes on top of it. */
  commit: string;
  expectations: number;
  rounds: number;
  /** The machine's one-minute load average before and after the run (2 cores, shared). */
  loadAverage: [number, number];
  cells: FirstPaintCell[];
  /** The waterfall of the median sample of each cell. */
  waterfalls: Waterfall[];
}

/** The run kept as the baseline, and the latest run, shown side by side. */
export interface FeedFirstPaintResult {
  baseline?: FeedFirstPaintRun;
  latest?: FeedFirstPaintRun;
  /** Both were measured in one run, in alternating turns (`--spa-checkout`), rather than at different times. */
  measuredTogether?: boolean;
}

const EXPECTATIONS = 30;
const TITLE_PREFIX = 'Bench expectation';
const PERSON: SpaPerson = { firstName: 'Bench', lastName: 'Reader', emailAddress: 'reader@example.test', password: 'correct horse battery' };
const CELLS: Array<{ cpuThrottle: number; visit: Visit }> = [
  { cpuThrottle: 1, visit: 'first' },
  { cpuThrottle: 1, visit: 'repeat' },
  { cpuThrottle: 4, visit: 'first' },
  { cpuThrottle: 4, visit: 'repeat' },
];
/** A page load that has not painted a card by then is broken, not slow. */
const SAMPLE_TIMEOUT_MS = 60_000;

/** The little of the browser's API the in-page code uses (this package is typed for Node, without the DOM). */
interface BrowserElement {
  setAttribute(name: string, value: string): void;
  querySelector(selector: string): BrowserElement | null;
}
interface BrowserEntry {
  name: string;
  startTime: number;
  identifier?: string;
  renderTime?: number;
  responseEnd?: number;
}
interface BrowserGlobals {
  document: BrowserElement;
  performance: { getEntriesByType(type: string): BrowserEntry[] };
  PerformanceObserver: new (callback: (list: { getEntries(): BrowserEntry[] }) => void) => { observe(options: { type: string; buffered: boolean }): void };
  MutationObserver: new (callback: () => void) => { observe(target: BrowserElement, options: { childList: boolean; subtree: boolean }): void; disconnect(): void };
  /** When the first card's text was painted, by Element Timing. */
  firstCardPainted: Promise<number>;
}

/**
 * Installed before any script of the page runs. The moment the first expectation card enters
 * the DOM, its title gets an `elementtiming` attribute, before the frame that paints it; Chromium
 * then reports when that text was actually painted (Element Timing's renderTime). A card in the
 * DOM but not yet painted does not count.
 */
function installPaintProbe(): void {
  const browser = globalThis as unknown as BrowserGlobals;
  browser.firstCardPainted = new Promise<number>((resolve) => {
    new browser.PerformanceObserver((list) => {
      const entry = list.getEntries().find((candidate) => candidate.identifier === 'first-card');
      if (entry) resolve(entry.renderTime || entry.startTime);
    }).observe({ type: 'element', buffered: true });
    const cards = new browser.MutationObserver(() => {
      const title = browser.document.querySelector('article.card .card__title');
      if (!title) return;
      cards.disconnect();
      title.setAttribute('elementtiming', 'first-card');
      title.querySelector('a')?.setAttribute('elementtiming', 'first-card');
    });
    cards.observe(browser.document, { childList: true, subtree: true });
  });
}

/** Names a request by what it is: the SPA's chunks, Clerk's scripts and chunks, Clerk's Frontend API, the API's procedures. */
function describeRequest(url: URL): string {
  const clerkScript = /^\/__clerk\/npm\/@clerk\/([^@/]+)@[^/]+\/dist\/(.+)$/.exec(url.pathname);
  if (clerkScript) return `${clerkScript[1]} ${clerkScript[2]}`;
  if (url.pathname.startsWith('/__clerk/')) return `Clerk FAPI ${url.pathname.slice('/__clerk'.length)}`;
  if (url.pathname.startsWith('/trpc/')) return `API ${url.pathname.slice('/trpc/'.length)}`;
  if (url.pathname.startsWith('/assets/')) return `SPA ${url.pathname.slice('/assets/'.length)}`;
  return `${url.host}${url.pathname}`;
}

async function readWaterfall(page: Page): Promise<WaterfallRequest[]> {
  const entries = await page.evaluate(() =>
    (globalThis as unknown as BrowserGlobals).performance
      .getEntriesByType('resource')
      .map((entry) => ({ name: entry.name, startMs: entry.startTime, endMs: entry.responseEnd ?? entry.startTime })),
  );
  return entries
    .map((entry) => ({ what: describeRequest(new URL(entry.name)), startMs: Math.round(entry.startMs), endMs: Math.round(entry.endMs) }))
    .filter((entry) => !entry.what.endsWith('.css') && !entry.what.endsWith('.svg') && !entry.what.endsWith('.png'))
    .sort((a, b) => a.startMs - b.startMs);
}

interface Sample {
  firstCardMs: number;
  requests: WaterfallRequest[];
}

/** Opens the feed on a new page of `context` at `cpuThrottle`, and times it to the first painted card. */
async function loadFeed(site: SpaSite, context: BrowserContext, cpuThrottle: number): Promise<Sample> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottle });
    await page.goto(site.siteUrl, { waitUntil: 'commit' });
    const firstCardMs = await page.evaluate(
      (timeoutMs) =>
        Promise.race([
          (globalThis as unknown as BrowserGlobals).firstCardPainted,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no expectation card painted within ${timeoutMs} ms`)), timeoutMs)),
        ]),
      SAMPLE_TIMEOUT_MS,
    );
    const title = await page.locator('article.card .card__title').first().textContent();
    if (!title?.startsWith(TITLE_PREFIX)) throw new Error(`the first card painted is not one of the seeded expectations: ${title}`);
    // The rest of the page load (revalidation, persisting the cache) finishes before the next sample.
    await pageSettled(page);
    await page.waitForTimeout(1500);
    const requests = await readWaterfall(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    return { firstCardMs: Math.round(firstCardMs), requests };
  } finally {
    await page.close();
  }
}

/**
 * The page's first reads answered: the network is idle, or, in a build with the live feed (whose
 * stream never lets the network be idle), the feed says it is live, which it opens only after
 * the first reads settled.
 */
async function pageSettled(page: Page): Promise<void> {
  await Promise.any([page.waitForLoadState('networkidle'), page.locator('.live-indicator--live').waitFor({ timeout: SAMPLE_TIMEOUT_MS })]);
}

async function signIn(site: SpaSite, context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${site.siteUrl}/sign-in`);
  await page.locator('input[name=identifier]').fill(PERSON.emailAddress);
  await page.locator('.cl-formButtonPrimary').click();
  await page.waitForURL(/\/sign-in\/factor-one/);
  await page.locator('input[name=password]').fill(PERSON.password);
  await page.locator('.cl-formButtonPrimary').click();
  await page.locator('article.card').first().waitFor({ timeout: SAMPLE_TIMEOUT_MS });
  await pageSettled(page);
  await page.close();
}

async function seedExpectations(stack: SpaStack, userId: string): Promise<void> {
  const token = await stack.sessionToken(userId);
  for (let n = 1; n <= EXPECTATIONS; n++) {
    const response = await fetch(`${stack.apiUrl}/trpc/expectations.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: `${TITLE_PREFIX} ${n}`, details: 'Seeded for the first-paint benchmark.' }),
    });
    if (!response.ok) throw new Error(`creating expectation ${n} answered ${response.status}: ${await response.text()}`);
  }
}

/** The checkout's commit, with `+` when what the SPA's build reads has changes on top of it. */
function commitOf(checkout: string): string {
  const commit = execFileSync('git', ['-C', checkout, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const buildInputs = ['apps/web/src', 'apps/web/index.html', 'apps/web/config', 'apps/web/vite.config.ts', 'apps/web/public'];
  const changes = execFileSync('git', ['-C', checkout, 'status', '--porcelain', '--', ...buildInputs], { encoding: 'utf8' }).trim();
  return changes ? `${commit}+` : commit;
}

function summarize(cpuThrottle: number, visit: Visit, samplesMs: number[]): FirstPaintCell {
  return { cpuThrottle, visit, samplesMs, medianMs: median(samplesMs), minMs: Math.min(...samplesMs), maxMs: Math.max(...samplesMs) };
}

/** One site's browser contexts: the repeat visits' (warm), and the session's cookies for each first visit's. */
interface SiteUnderTest {
  site: SpaSite;
  warm: BrowserContext;
  cookies: Awaited<ReturnType<BrowserContext['storageState']>>['cookies'];
  samples: Map<(typeof CELLS)[number], Sample[]>;
}

function runOf(unit: SiteUnderTest, rounds: number, loadAverage: [number, number]): FeedFirstPaintRun {
  const cells = CELLS.map((cell) => summarize(cell.cpuThrottle, cell.visit, unit.samples.get(cell)!.map((sample) => sample.firstCardMs)));
  const waterfalls = CELLS.map((cell, index) => {
    const medianMs = cells[index]!.medianMs;
    const closest = unit.samples.get(cell)!.reduce((best, sample) => (Math.abs(sample.firstCardMs - medianMs) < Math.abs(best.firstCardMs - medianMs) ? sample : best));
    return { ...cell, ...closest };
  });
  return { measuredAt: new Date().toISOString(), commit: commitOf(unit.site.checkout), expectations: EXPECTATIONS, rounds, loadAverage, cells, waterfalls };
}

/**
 * The feed's first paint in headless Chromium: the SPA's production build on `vite preview`,
 * clerk-js and @clerk/ui through `/__clerk` from the stand-in, the API's build, a signed-in person
 * with `EXPECTATIONS` expectations. A first visit is a new browser context holding only the
 * session's cookies (empty HTTP cache, nothing the SPA stored); a repeat visit is a new page in a
 * context that has loaded the feed before (warm HTTP cache, whatever the SPA keeps). Given
 * `baselineCheckout`, that checkout's SPA is built and served too, at its own origin against the
 * same API and stand-in, and measured beside this one's. The cells and the sites take turns
 * within each round, so that the shared machine's load falls on all of them alike.
 */
export async function feedFirstPaint(options: { rounds: number; baselineCheckout?: string }): Promise<FeedFirstPaintResult> {
  const loadBefore = loadavg()[0]!;
  const stack = await startSpaStack(options.baselineCheckout ? [options.baselineCheckout, repoRoot] : [repoRoot]);
  let browser: Browser | undefined;
  try {
    const userId = await stack.addPerson(PERSON);
    await seedExpectations(stack, userId);
    browser = await launchChromium();
    const viewport = { width: 412, height: 915 };
    const units: SiteUnderTest[] = [];
    for (const site of stack.sites) {
      const warm = await browser.newContext({ viewport });
      await warm.addInitScript(installPaintProbe);
      await signIn(site, warm);
      // The session, and nothing else: what a person who signed in before but never loaded the app here would have.
      const { cookies } = await warm.storageState();
      // The repeat visits' context has loaded the feed once, as a returning person has.
      await loadFeed(site, warm, 1);
      units.push({ site, warm, cookies, samples: new Map(CELLS.map((cell) => [cell, []])) });
    }

    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 ? [...CELLS].reverse() : CELLS;
      for (const cell of order) {
        for (const unit of round % 2 ? [...units].reverse() : units) {
          let sample: Sample;
          if (cell.visit === 'repeat') sample = await loadFeed(unit.site, unit.warm, cell.cpuThrottle);
          else {
            const fresh = await browser.newContext({ viewport, storageState: { cookies: unit.cookies, origins: [] } });
            await fresh.addInitScript(installPaintProbe);
            sample = await loadFeed(unit.site, fresh, cell.cpuThrottle);
            await fresh.close();
          }
          unit.samples.get(cell)!.push(sample);
          const side = units.length > 1 ? `${unit === units[0] ? 'before' : 'after'}, ` : '';
          console.log(`  round ${round + 1}: ${side}${cell.cpuThrottle}× ${cell.visit} visit: first card painted at ${sample.firstCardMs} ms`);
        }
      }
    }
    const loadAverage: [number, number] = [loadBefore, loadavg()[0]!];
    const runs = units.map((unit) => runOf(unit, options.rounds, loadAverage));
    return runs.length > 1 ? { baseline: runs[0], latest: runs[1], measuredTogether: true } : { latest: runs[0] };
  } finally {
    await browser?.close();
    await stack.stop();
  }
}

/** A waterfall as lines of text, for the console and the report. */
export function waterfallLines(waterfall: Waterfall): string[] {
  return [
    ...waterfall.requests.map((request) => `${String(request.startMs).padStart(5)} → ${String(request.endMs).padStart(5)} ms  ${request.what}`),
    `${String(waterfall.firstCardMs).padStart(5)} ms          first expectation card painted`,
  ];
}
