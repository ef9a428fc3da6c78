import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

export const webRoot = new URL('../../..', import.meta.url).pathname;

export interface BuildSettings {
  apiUrl: string;
  /** None: the build chooses the local stand-in itself, as `pnpm build` does on a fresh clone. */
  clerkPublishableKey?: string;
  /** `/__clerk` for the stand-in; none for a real Clerk instance. */
  clerkProxyUrl?: string;
}

/**
 * The SPA's own build command (`pnpm run build`, i.e. `vite build`) into `outDir`, configured as
 * a deployment is: by the environment, where only what `settings` gives is set. Resolves to what
 * the build printed; rejects with it when the build fails.
 */
export async function buildSpa(outDir: string, settings: BuildSettings): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, VITE_API_URL: settings.apiUrl };
  delete env.VITE_CLERK_PUBLISHABLE_KEY;
  delete env.VITE_CLERK_PROXY_URL;
  if (settings.clerkPublishableKey !== undefined) env.VITE_CLERK_PUBLISHABLE_KEY = settings.clerkPublishableKey;
  if (settings.clerkProxyUrl !== undefined) env.VITE_CLERK_PROXY_URL = settings.clerkProxyUrl;
  // The test runner sets NODE_ENV=test, which would make Vite bundle React's development build.
  env.NODE_ENV = 'production';
  try {
    const { stdout, stderr } = await promisify(execFile)('pnpm', ['run', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: webRoot,
      env,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`The SPA's build failed:\n${stdout}${stderr}`, { cause: error });
  }
}

export interface InitialJs {
  files: string[];
  gzipBytes: number;
}

/** The JavaScript a first visit downloads before anything renders: the entry script and its modulepreloads. */
export async function measureInitialJs(outDir: string): Promise<InitialJs> {
  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((match) => match[1] as string);
  let gzipBytes = 0;
  for (const file of files) gzipBytes += gzipSync(await readFile(join(outDir, file)), { level: 9 }).length;
  return { files, gzipBytes };
}

/** Every built JavaScript file's text, to search for what must never be bundled. */
export async function readBuiltJs(outDir: string): Promise<Map<string, string>> {
  const assets = join(outDir, 'assets');
  const names = (await readdir(assets)).filter((name) => name.endsWith('.js'));
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(assets, name), 'utf8')] as const)));
}
