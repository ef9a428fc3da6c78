import { describe, expect, it } from 'vitest';
import { describePostgresUrl, parseDatabaseUrl, parseMirrorWriterUrl } from '../src/url';

describe('DATABASE_URL', () => {
  it.each([
    ['file:/tmp/x/app.db', { dialect: 'sqlite', path: '/tmp/x/app.db' }],
    ['/tmp/y.db', { dialect: 'sqlite', path: '/tmp/y.db' }],
    ['postgres://app:secret@db.internal:5432/expectations', { dialect: 'postgres', url: 'postgres://app:secret@db.internal:5432/expectations' }],
    ['postgresql://db.internal/expectations?sslmode=require', { dialect: 'postgres', url: 'postgresql://db.internal/expectations?sslmode=require' }],
  ])('reads %s', (url, target) => {
    expect(parseDatabaseUrl(url)).toEqual(target);
  });

  it.each([
    ['file:', /names no file/],
    [':memory:', /name a file/],
    ['mysql://app:secret@db/expectations', /scheme mysql:\/\/, which is not supported/],
    ['postgres://app:secret@db.internal:5432/', /names no database on app@db.internal:5432\//],
    ['postgres://app:secret@:5432/x', /postgres:\/\/|host/],
  ])('refuses %s with a message that says what to write, and never the password', (url, message) => {
    let error: unknown;
    try {
      parseDatabaseUrl(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('secret');
  });

  it('describes a PostgreSQL URL without its password', () => {
    expect(describePostgresUrl('postgres://app:s3cr%40t@db.internal:6543/expectations')).toBe('app@db.internal:6543/expectations');
    expect(describePostgresUrl('postgresql://db.internal/expectations')).toBe('db.internal:5432/expectations');
  });
});

describe('MIRROR_WRITER_DATABASE_URL', () => {
  it('reads a PostgreSQL URL beside a PostgreSQL DATABASE_URL', () => {
    expect(parseMirrorWriterUrl('postgres://owner:secret@db.internal/expectations', 'postgres://app:secret@db.internal/expectations')).toEqual({
      dialect: 'postgres',
      url: 'postgres://owner:secret@db.internal/expectations',
    });
  });

  it.each([
    ['file:/tmp/x.db', 'postgres://app@db/expectations', /MIRROR_WRITER_DATABASE_URL must be a postgres:\/\/… URL/],
    ['postgres://owner:secret@db/expectations', 'file:/tmp/x.db', /MIRROR_WRITER_DATABASE_URL is set but DATABASE_URL names a SQLite file/],
    ['postgres://owner:secret@db.internal:5432/', 'postgres://app@db/expectations', /^MIRROR_WRITER_DATABASE_URL names no database/],
  ])('refuses %s beside DATABASE_URL=%s, naming the variable', (url, databaseUrl, message) => {
    expect(() => parseMirrorWriterUrl(url, databaseUrl)).toThrow(message);
    expect(() => parseMirrorWriterUrl(url, databaseUrl)).not.toThrow(/secret/);
  });
});
