import { DatabaseConnectionError, DatabasePrivilegeError, DatabaseUrlError } from '@expectations/db';
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
  // A database that cannot be reached, or whose roles do not keep the mirror's boundary, is a
  // configuration problem too: the message names it (user@host:port/database, never the password).
  if (error instanceof DatabaseConnectionError) {
    const variable = error.connection === 'mirrorWriter' ? 'MIRROR_WRITER_DATABASE_URL' : 'DATABASE_URL';
    console.error(`Invalid API configuration:\n  ${variable}: ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
  if (error instanceof DatabasePrivilegeError || error instanceof DatabaseUrlError) {
    console.error(`Invalid API configuration:\n  ${error.message}`);
    process.exit(78);
  }
  throw error;
});
log.info({ url: api.url, database: api.db.location, mirrorWriter: api.db.mirrorWriterLocation }, 'api listening');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    void api.close().then(() => {
      log.info('shut down cleanly');
      process.exit(0);
    });
  });
}
