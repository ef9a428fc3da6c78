import { resolve } from 'node:path';

/** A DATABASE_URL this package cannot use. The message names the problem, never a password. */
export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * What `DATABASE_URL` names: `postgres://…` or `postgresql://…` is PostgreSQL; a file path,
 * with or without `file:`, is SQLite. `variable` is the name errors give the URL.
 */
export function parseDatabaseUrl(url: string, variable = 'DATABASE_URL'): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError(`${variable} starts with postgres:// but is not a valid URL: expected postgres://user:password@host:5432/database`);
    }
    if (!parsed.hostname && !parsed.searchParams.get('host')) {
      throw new DatabaseUrlError(`${variable} names no PostgreSQL host: expected postgres://user:password@host:5432/database`);
    }
    if (parsed.pathname.replace(/^\//, '') === '') {
      throw new DatabaseUrlError(`${variable} names no database on ${describePostgresUrl(url)}: add it as the path, e.g. postgres://…@host:5432/expectations`);
    }
    return { dialect: 'postgres', url };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const scheme = url.slice(0, url.indexOf(':'));
    throw new DatabaseUrlError(`${variable} has the scheme ${scheme}://, which is not supported: use postgres://… for PostgreSQL or a file path (file:…) for SQLite`);
  }
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (path.length === 0) throw new DatabaseUrlError(`${variable} names no file: expected a path like file:.data/app.db`);
  if (path === ':memory:') {
    throw new DatabaseUrlError(`${variable} cannot be :memory:: the mirror writer and the queries use two connections to one file; name a file`);
  }
  return { dialect: 'sqlite', path: resolve(path) };
}

/** `user@host:port/database` of a PostgreSQL URL, for logs and errors: never the password. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    return `${user}${host}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'an unparseable postgres:// URL';
  }
}

/**
 * What `MIRROR_WRITER_DATABASE_URL` names: the PostgreSQL role that owns the schema and writes the
 * mirror, beside `databaseUrl`'s role for every other query. Only PostgreSQL has roles to split.
 */
export function parseMirrorWriterUrl(url: string, databaseUrl: string): Extract<DatabaseTarget, { dialect: 'postgres' }> {
  const target = parseDatabaseUrl(url, 'MIRROR_WRITER_DATABASE_URL');
  if (target.dialect !== 'postgres') {
    throw new DatabaseUrlError('MIRROR_WRITER_DATABASE_URL must be a postgres://… URL: a second role for the mirror writer exists only on PostgreSQL');
  }
  if (parseDatabaseUrl(databaseUrl).dialect !== 'postgres') {
    throw new DatabaseUrlError(
      'MIRROR_WRITER_DATABASE_URL is set but DATABASE_URL names a SQLite file: a role of its own for the mirror writer exists only on PostgreSQL; unset MIRROR_WRITER_DATABASE_URL or point DATABASE_URL at PostgreSQL',
    );
  }
  return target;
}
