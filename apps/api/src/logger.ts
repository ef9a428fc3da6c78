import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'api' },
    // Personal data must never reach the logs, even if a future call site passes it by mistake.
    redact: { paths: ['email', '*.email', 'first_name', 'last_name', '*.first_name', '*.last_name'], remove: true },
  });
}
