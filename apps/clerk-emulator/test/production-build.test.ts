import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, startBuiltApp, type BuiltApp } from '@expectations/api/testing';
import { tempDir } from './helpers';

const emulatorDir = fileURLToPath(new URL('../', import.meta.url));

let built: BuiltApp;
const data = tempDir();

beforeAll(() => {
  built = buildApp(emulatorDir);
}, 60_000);

afterAll(() => {
  built?.remove();
  data.remove();
});

it('builds to plain JavaScript that node starts alone, and that answers /healthz and its admin API', async () => {
  const standIn = await startBuiltApp(built.main, { PORT: '0', HOST: '127.0.0.1', DATA_DIR: data.path, NODE_ENV: 'test' }, emulatorDir);
  try {
    expect(standIn.child.spawnargs).toEqual([process.execPath, built.main]);
    const health = await fetch(`${standIn.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const config = await fetch(`${standIn.url}/admin/config`);
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ jwtPublicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });
  } finally {
    await standIn.stop();
  }
});
