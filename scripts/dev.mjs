#!/usr/bin/env node
// Runs the whole product locally with no Clerk account and no internet: the Clerk stand-in
// (3002), the API (3001) configured with the stand-in's key and webhook secret exactly as it
// would be with real Clerk, and the SPA (5173), whose Clerk components reach the stand-in
// through the dev server's /__clerk. Data lives under .data/. Ctrl-C stops all three.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const STAND_IN_PORT = 3002;
const API_PORT = 3001;
const WEB_PORT = 5173;
const WEB_ORIGIN = `http://localhost:${WEB_PORT}`;
const STAND_IN_URL = `http://localhost:${STAND_IN_PORT}`;
const API_URL = `http://localhost:${API_PORT}`;
const START_TIMEOUT_MS = 90_000;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const say = (text) => process.stdout.write(`${paint('1', '[dev]')} ${text}\n`);

/** @type {Array<{ name: string, child: import('node:child_process').ChildProcess, exited: Promise<number | null> }>} */
const services = [];
let stopping = false;

// Every service runs in its own process group, so that stopping it reaches pnpm, tsx and the
// server process alike: no orphans keep a port busy after Ctrl-C.
function start(name, labelColor, args, env) {
  const child = spawn('pnpm', args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const label = paint(labelColor, `[${name}]`.padEnd(10));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      // pnpm reports a script stopped by a signal as a failure; when we stopped it, that is noise.
      if (stopping && pnpmStopNoise.test(line)) return;
      process.stdout.write(`${label} ${readable(line)}\n`);
    });
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  exited.then((how) => {
    if (stopping) return;
    say(paint('31', `${name} stopped unexpectedly (${how}); see its lines above (a port already in use?). Stopping everything.`));
    void stopAll(1);
  });
  const service = { name, child, exited };
  services.push(service);
  return service;
}

const pnpmStopNoise = /ELIFECYCLE|ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|"pnpm recursive run" failed|^\s*$/;

const levels = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

/** pino's JSON lines, made readable: time, level, message, then the other fields. */
function readable(line) {
  if (!line.startsWith('{')) return line;
  try {
    const { level, time, msg, service: _service, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(line);
    const fields = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const levelText = levels[level] ?? String(level);
    const levelPainted = level >= 50 ? paint('31', levelText) : level >= 40 ? paint('33', levelText) : levelText;
    const clock = new Date(time).toTimeString().slice(0, 8);
    return `${paint('2', clock)} ${levelPainted} ${msg ?? ''}${fields ? ` ${paint('2', fields)}` : ''}`;
  } catch {
    return line;
  }
}

async function waitUntil(what, service, probe) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  service.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited || stopping) throw new Error(`${service.name} exited before ${what} was ready`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready within ${START_TIMEOUT_MS / 1000} s`);
}

async function fetchOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) return undefined;
  return response;
}

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  say('stopping the stand-in, the API and the SPA…');
  const running = services.filter((service) => service.child.exitCode === null && service.child.signalCode === null);
  for (const service of running) signalGroup(service, 'SIGTERM');
  const force = setTimeout(() => {
    for (const service of running) signalGroup(service, 'SIGKILL');
  }, 8000);
  await Promise.all(running.map((service) => service.exited));
  clearTimeout(force);
  // The group leader (pnpm) may exit before its children: make sure nothing is left.
  for (const service of services) signalGroup(service, 'SIGKILL');
  say('stopped.');
  process.exit(exitCode);
}

function signalGroup(service, signal) {
  try {
    process.kill(-service.child.pid, signal);
  } catch {
    // the group is already gone
  }
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
process.on('SIGHUP', () => void stopAll(0));

try {
  // Both run their production build (plain JavaScript, started in a fraction of a second).
  say('building the stand-in and the API…');
  const build = spawn('pnpm', ['--filter', '@expectations/clerk-emulator', '--filter', '@expectations/api', 'build'], { cwd: root, stdio: 'inherit' });
  if ((await new Promise((resolve) => build.once('exit', resolve))) !== 0) throw new Error('the build of the stand-in and the API failed (see above)');

  const standIn = start('stand-in', '35', ['--filter', '@expectations/clerk-emulator', 'start'], {
    NODE_ENV: 'development',
    PORT: String(STAND_IN_PORT),
    DATA_DIR: `${root}/.data/clerk-emulator`,
    ALLOWED_ORIGINS: WEB_ORIGIN,
    // Loopback by address: "localhost" may resolve to ::1 first while the API listens on IPv4.
    WEBHOOK_URL: `http://127.0.0.1:${API_PORT}/api/webhooks/clerk`,
  });
  const config = await waitUntil('the Clerk stand-in', standIn, async () => {
    const response = await fetchOk(`http://127.0.0.1:${STAND_IN_PORT}/admin/config`);
    return response ? response.json() : undefined;
  });

  const api = start('api', '36', ['--filter', '@expectations/api', 'start'], {
    // The explicit opt-in to internal errors' messages and stacks in answers: local use only.
    NODE_ENV: 'development',
    PORT: String(API_PORT),
    // DATABASE_URL=postgres://… npm run dev runs the API on PostgreSQL instead of the local file.
    DATABASE_URL: process.env.DATABASE_URL || `file:${root}/.data/expectations.db`,
    CLERK_PUBLISHABLE_KEY: config.publishableKey,
    CLERK_SECRET_KEY: config.secretKey,
    CLERK_API_URL: STAND_IN_URL,
    CLERK_JWT_KEY: config.jwtPublicKeyPem,
    CLERK_WEBHOOK_SIGNING_SECRET: config.webhookSigningSecret,
    WEB_ORIGIN,
  });
  await waitUntil('the API', api, async () => {
    const response = await fetchOk(`http://127.0.0.1:${API_PORT}/healthz`);
    const body = response ? await response.json().catch(() => undefined) : undefined;
    return body?.status === 'ok' ? true : undefined;
  });

  const webPackage = `${root}/apps/web/package.json`;
  const hasWeb = existsSync(webPackage) && Boolean(JSON.parse(readFileSync(webPackage, 'utf8')).scripts?.dev);
  if (hasWeb) {
    // apps/web/vite.config.ts pins port 5173 with strictPort.
    // Clerk's components load clerk-js and talk to Clerk's Frontend API at /__clerk on the SPA's
    // own origin, which the dev server forwards to the stand-in; the key is the stand-in's.
    const web = start('web', '32', ['--filter', '@expectations/web', 'dev'], {
      NODE_ENV: 'development',
      VITE_API_URL: API_URL,
      VITE_CLERK_PUBLISHABLE_KEY: config.publishableKey,
      VITE_CLERK_PROXY_URL: '/__clerk',
      CLERK_STAND_IN_URL: `http://127.0.0.1:${STAND_IN_PORT}`,
    });
    // Vite listens on "localhost", which may be IPv4 or IPv6 on this machine.
    await waitUntil('the SPA', web, () =>
      fetchOk(`http://127.0.0.1:${WEB_PORT}/`).catch(() => fetchOk(`http://[::1]:${WEB_PORT}/`)),
    );
  }

  say('');
  say(paint('1;32', hasWeb ? `Open ${WEB_ORIGIN} — sign up or in with Clerk's own components; every email code is 424242.` : 'The SPA (apps/web) has no dev script yet; the API and the stand-in are up.'));
  say(`Local Clerk stand-in: ${STAND_IN_URL}    API: ${API_URL}/healthz`);
  say(`Data: ${root}/.data (delete it for a fresh start). Ctrl-C stops everything.`);
  say('');
} catch (error) {
  if (stopping) await new Promise(() => {}); // Ctrl-C during start-up: stopAll is already at work
  say(paint('31', `could not start: ${error instanceof Error ? error.message : String(error)}`));
  say(`Is something else using port ${STAND_IN_PORT}, ${API_PORT} or ${WEB_PORT}? See the lines above.`);
  await stopAll(1);
}
