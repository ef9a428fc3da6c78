import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'clerk-emulator' },
    // Personal data and credentials must never reach the logs, even if a call site passes them by mistake.
    redact: {
      paths: [
        'email',
        'email_address',
        'first_name',
        'last_name',
        'username',
        'jwt',
        'token',
        '*.email',
        '*.email_address',
        '*.first_name',
        '*.last_name',
        '*.username',
        '*.jwt',
        '*.token',
      ],
      remove: true,
    },
  });
}

/** A logger that writes nothing: the default for programmatic use in tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
