import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EmulatorConfigError, loadEmulatorEnv, parseWebhookFaults, RefusedInProductionError, startClerkEmulator } from '../src/index';
import { WebhookFaultsError } from '../src/webhook-faults';
import { tempDir } from './helpers';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const env = loadEmulatorEnv({}, '/srv/app');
    expect(env).toMatchObject({
      port: 3002,
      host: '127.0.0.1',
      webhookUrl: 'http://localhost:3001/api/webhooks/clerk',
      dataDir: '/srv/app/.data/clerk-emulator',
      allowedOrigins: ['http://localhost:5173'],
      sessionTokenLifetimeSeconds: 60,
    });
    expect(env.webhookFaults).toMatchObject({ duplicate: 0, drop: 0, reorder: 0, delayMs: 0 });
  });

  it('reads every variable', () => {
    const env = loadEmulatorEnv(
      {
        PORT: '4000',
        WEBHOOK_URL: 'http://127.0.0.1:4001/hook',
        DATA_DIR: '/tmp/x',
        WEBHOOK_FAULTS: 'duplicate=0.3,drop=0.3,reorder=0.3,delay_ms=200,seed=42',
        ALLOWED_ORIGINS: 'http://localhost:5173, http://127.0.0.1:5173',
        SESSION_TOKEN_LIFETIME_SECONDS: '30',
      },
      '/srv/app',
    );
    expect(env).toMatchObject({ port: 4000, webhookUrl: 'http://127.0.0.1:4001/hook', dataDir: '/tmp/x', sessionTokenLifetimeSeconds: 30 });
    expect(env.allowedOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
    expect(env.webhookFaults).toEqual({ duplicate: 0.3, drop: 0.3, reorder: 0.3, delayMs: 200, seed: 42 });
  });

  it('names each malformed variable', () => {
    expect(() => loadEmulatorEnv({ PORT: 'x', ALLOWED_ORIGINS: 'http://localhost:5173/' })).toThrow(EmulatorConfigError);
    const problems = () => loadEmulatorEnv({ PORT: 'x', ALLOWED_ORIGINS: 'http://localhost:5173/', WEBHOOK_URL: 'ftp://x' });
    expect(problems).toThrow(/PORT/);
    expect(problems).toThrow(/ALLOWED_ORIGINS: each origin must be/);
    expect(problems).toThrow(/WEBHOOK_URL: must be an absolute http\(s\) URL/);
    // clerk-js refreshes a token 15 s before it expires: shorter lifetimes would refresh without pause.
    expect(() => loadEmulatorEnv({ SESSION_TOKEN_LIFETIME_SECONDS: '5' })).toThrow(/SESSION_TOKEN_LIFETIME_SECONDS/);
    expect(() => loadEmulatorEnv({ WEBHOOK_FAULTS: 'drop=2' })).toThrow(/drop must be a probability between 0 and 1/);
  });

  it('validates WEBHOOK_FAULTS with messages that say what is wrong', () => {
    expect(parseWebhookFaults('drop=0.5, seed=9')).toEqual({ duplicate: 0, drop: 0.5, reorder: 0, delayMs: 0, seed: 9 });
    const bad: Array<[string, RegExp]> = [
      ['dupe=0.3', /unknown fault "dupe"/],
      ['duplicate', /is not name=value/],
      ['duplicate=abc', /duplicate must be a probability/],
      ['reorder=-0.1', /reorder must be a probability/],
      ['drop=1', /drop=1 would drop every attempt forever/],
      ['delay_ms=1.5', /delay_ms must be a whole number/],
      ['seed=-1', /seed must be a non-negative whole number/],
      ['drop=0.1,drop=0.2', /"drop" is given twice/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseWebhookFaults(text), text).toThrow(WebhookFaultsError);
      expect(() => parseWebhookFaults(text), text).toThrow(message);
    }
  });

  it('refuses production, programmatically and from the command line', async () => {
    expect(() => loadEmulatorEnv({ NODE_ENV: 'production' })).toThrow(RefusedInProductionError);

    const previous = process.env.NODE_ENV;
    const dir = tempDir();
    process.env.NODE_ENV = 'production';
    try {
      await expect(startClerkEmulator({ dataDir: dir.path })).rejects.toThrow(/refuses to start with NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
      dir.remove();
    }

    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: packageDir,
      env: { ...process.env, NODE_ENV: 'production', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toContain('refuses to start with NODE_ENV=production');
  });
});
