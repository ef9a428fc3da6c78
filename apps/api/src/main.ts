import { DatabaseConnectionError } from '@expectations/db';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startApi } from './server';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const log = createLogger(config.LOG_LEVEL);
const api = await startApi(config, log).catch((error: unknown) => {
  // A database that cannot be reached is a configuration problem too: the message names it
  // (user@host:port/database, never the password).
  if (error instanceof DatabaseConnectionError) {
    console.error(`Invalid API configuration:\n  DATABASE_URL: ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
});
log.info({ url: api.url, database: api.db.location }, 'api listening');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    void api.close().then(() => {
      log.info('shut down cleanly');
      process.exit(0);
    });
  });
}
