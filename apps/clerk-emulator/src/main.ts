import { EmulatorConfigError, loadEmulatorEnv, RefusedInProductionError, type EmulatorEnv } from './config';
import { startClerkEmulator } from './emulator';
import { createLogger } from './logger';

let env: EmulatorEnv;
try {
  env = loadEmulatorEnv();
} catch (error) {
  if (error instanceof RefusedInProductionError) {
    console.error(error.message);
    process.exit(1);
  }
  if (error instanceof EmulatorConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const log = createLogger(env.logLevel);
// Tokens' iss and the avatars' URLs: browsers reach the stand-in as "localhost".
const publicUrl = env.publicUrl ?? (env.port === 0 ? undefined : `http://localhost:${env.port}`);
const emulator = await startClerkEmulator({
  dataDir: env.dataDir,
  port: env.port,
  host: env.host,
  publicUrl,
  webhookUrl: env.webhookUrl,
  webhookFaults: env.webhookFaults,
  webhookMaxAttempts: env.webhookMaxAttempts,
  bapiRateLimit: env.bapiRateLimit,
  allowedOrigins: env.allowedOrigins,
  sessionTokenLifetimeSeconds: env.sessionTokenLifetimeSeconds,
  logger: log,
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down: undelivered webhooks stay in the outbox for the next start');
    void emulator.close().then(() => process.exit(0));
  });
}
