import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { apiEnvironmentFor, startClerkEmulator, type RunningClerkEmulator } from '@expectations/clerk-emulator';
import { testEnv } from '@expectations/api/testing';
import { tempDir } from './environments';
import { API_ENTRY, repoRoot, startServer, type ServerProcess } from './processes';

/** A person of the stand-in, with a password: what the benchmark signs in as. */
export interface SpaPerson {
  firstName: string;
  lastName: string;
  emailAddress: string;
  password: string;
}

/** One build of the SPA, served by its own `vite preview` at its own origin. */
export interface SpaSite {
  /** The repository whose apps/web was built. */
  checkout: string;
  siteUrl: string;
}

/**
 * The product as production serves it, on loopback: the SPA's production build on `vite
 * preview` (forwarding /__clerk to the stand-in, as apps/web/vite.config.ts does), the Clerk
 * stand-in serving clerk-js, @clerk/ui and the Frontend API, and the API's build with plain node.
 * One site per checkout, side by side against the same API and stand-in, each at its own origin.
 */
export interface SpaStack {
  sites: SpaSite[];
  apiUrl: string;
  emulator: RunningClerkEmulator;
  api: ServerProcess;
  /** Makes `person` in the stand-in and waits until its webhook reached the API's mirror. */
  addPerson(person: SpaPerson): Promise<string>;
  /** A session token for the person, as clerk-js would hold one for the first site. */
  sessionToken(userId: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The SPA's own build command, configured by the environment as a deployment is (no Clerk key: the stand-in's). */
async function buildSpa(webDir: string, outDir: string, apiUrl: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, VITE_API_URL: apiUrl, NODE_ENV: 'production' };
  delete env.VITE_CLERK_PUBLISHABLE_KEY;
  delete env.VITE_CLERK_PROXY_URL;
  try {
    await promisify(execFile)('pnpm', ['run', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: webDir, env });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`The SPA's build failed:\n${stdout}${stderr}`, { cause: error });
  }
}

/** `vite preview` of the build, as `pnpm --filter @expectations/web preview` runs it; resolves once it answers. */
async function startPreview(webDir: string, outDir: string, port: number, standInUrl: string): Promise<ChildProcess> {
  const child = spawn('pnpm', ['exec', 'vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: webDir,
    env: { ...process.env, CLERK_STAND_IN_URL: standInUrl },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}:\n${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`vite preview did not answer on port ${port} within 30 s:\n${stderr}`);
    }
    await sleep(100);
  }
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** `checkouts`: the repositories whose apps/web is built and served, each at its own origin. */
export async function startSpaStack(checkouts: string[] = [repoRoot]): Promise<SpaStack> {
  const dir = tempDir('spa');
  const sites: SpaSite[] = [];
  for (const checkout of checkouts) sites.push({ checkout, siteUrl: `http://127.0.0.1:${await freePort()}` });
  const origins = sites.map((site) => site.siteUrl);
  let emulator: RunningClerkEmulator | undefined;
  let api: ServerProcess | undefined;
  const previews: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(previews.map(stopChild));
    await Promise.allSettled([api?.stop(), emulator?.close()]);
  };
  try {
    emulator = await startClerkEmulator({ dataDir: join(dir, 'clerk'), allowedOrigins: origins, webhookUrl: null });
    api = await startServer(
      'api',
      API_ENTRY,
      testEnv({
        ...apiEnvironmentFor(emulator.config),
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: `file:${join(dir, 'api.db')}`,
        WEB_ORIGIN: origins.join(','),
      }),
    );
    emulator.setWebhookUrl(`${api.url}/api/webhooks/clerk`);
    for (const [index, site] of sites.entries()) {
      const webDir = join(site.checkout, 'apps/web');
      const outDir = join(dir, `dist-${index}`);
      await buildSpa(webDir, outDir, api.url);
      previews.push(await startPreview(webDir, outDir, Number(new URL(site.siteUrl).port), emulator.url));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const running = { emulator, api };
  return {
    sites,
    apiUrl: api.url,
    ...running,
    addPerson: async (person) => {
      const body = { first_name: person.firstName, last_name: person.lastName, email_address: person.emailAddress, password: person.password };
      const user = await json<{ id: string }>(
        await fetch(`${running.emulator.url}/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      );
      const deadline = Date.now() + 30_000;
      while (running.emulator.webhookStats().pending > 0) {
        if (Date.now() > deadline) throw new Error(`${running.emulator.webhookStats().pending} webhooks still pending after 30 s`);
        await sleep(50);
      }
      return user.id;
    },
    sessionToken: async (userId) => {
      const { jwt } = await json<{ jwt: string }>(
        await fetch(`${running.emulator.url}/admin/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user_id: userId, azp: origins[0] }),
        }),
      );
      return jwt;
    },
    stop,
  };
}
