import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueries, DatabasePrivilegeError, DatabaseUrlError, openDatabase, type Database } from '@expectations/db';
import {
  createTwoRoleDatabase,
  findMembership,
  findOrganizationByClerkId,
  findUserByClerkId,
  mirrorMembership,
  mirrorOrganization,
  mirrorUser,
  type TwoRoleDatabase,
} from '@expectations/db/testing';
import { APP_TABLES, MIRRORED_TABLES } from '../src/postgres/privileges';

// With MIRROR_WRITER_DATABASE_URL, the boundary around the mirror is PostgreSQL's privileges: the
// app role (DATABASE_URL) may only SELECT mirrored tables, whatever a session of it tries.

let roles: TwoRoleDatabase;
const opened: Database[] = [];
const open = async (options: { poolSize?: number } = {}) => {
  const db = await openDatabase(roles.appUrl, { mirrorWriterUrl: roles.ownerUrl, poolSize: options.poolSize ?? 2 });
  opened.push(db);
  return db;
};
beforeEach(async () => {
  roles = await createTwoRoleDatabase();
});
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  await roles.destroy();
});

/** A plain session of the app role, as psql or a script with DATABASE_URL would open it. */
async function appSession(): Promise<pg.Client> {
  const client = new pg.Client(roles.appUrl);
  await client.connect();
  return client;
}

const permissionDenied = /permission denied|must be owner|must be able to SET ROLE|must be member/;

describe('a plain session of the app role', () => {
  let db: Database;
  let session: pg.Client;
  let ada: { id: number; clerkId: string };
  let team: { clerkId: string };
  beforeEach(async () => {
    db = await open();
    ada = await mirrorUser(db, { firstName: 'Ada' });
    team = await mirrorOrganization(db, { name: 'Analytical Engines' });
    await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId, role: 'org:member' });
    session = await appSession();
  });
  afterEach(async () => {
    await session.end();
  });

  const attempts: Array<[string, string]> = [
    ['INSERT into users', "INSERT INTO users (clerk_id, clerk_updated_at, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES ('user_forged', 1, 1, 1)"],
    ['UPDATE users', "UPDATE users SET first_name = 'Forged'"],
    ['DELETE from users', 'DELETE FROM users'],
    ['TRUNCATE users', 'TRUNCATE users CASCADE'],
    ['INSERT into webhook_events', "INSERT INTO webhook_events (svix_id, type, outcome, received_at, last_delivered_at) VALUES ('msg_forged', 'user.created', 'applied', 1, 1)"],
    ['UPDATE webhook_events', "UPDATE webhook_events SET outcome = 'ignored'"],
    ['DELETE from webhook_events', 'DELETE FROM webhook_events'],
    ['TRUNCATE webhook_events', 'TRUNCATE webhook_events'],
    ['INSERT into organizations', "INSERT INTO organizations (clerk_id, clerk_updated_at, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES ('org_forged', 1, 1, 1)"],
    ['UPDATE organizations', "UPDATE organizations SET name = 'Forged'"],
    ['DELETE from organizations', 'DELETE FROM organizations'],
    ['TRUNCATE organizations', 'TRUNCATE organizations CASCADE'],
    [
      'INSERT into organization_memberships',
      `INSERT INTO organization_memberships (clerk_id, clerk_organization_id, clerk_user_id, role, clerk_created_at, clerk_updated_at, created_at, updated_at)
       VALUES ('orgmem_forged', 'org_forged', 'user_forged', 'org:admin', 1, 1, 1, 1)`,
    ],
    ['UPDATE organization_memberships', "UPDATE organization_memberships SET role = 'org:admin'"],
    ['DELETE from organization_memberships', 'DELETE FROM organization_memberships'],
    ['TRUNCATE organization_memberships', 'TRUNCATE organization_memberships'],
  ];

  it.each(attempts)('cannot %s, even with the triggers’ flag set for the whole session', async (_attempt, statement) => {
    await session.query("SELECT set_config('expectations.mirror_writer', 'on', false)");
    await expect(session.query(statement)).rejects.toThrow(permissionDenied);
    expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Ada');
    expect(await findOrganizationByClerkId(db, team.clerkId)).toMatchObject({ name: 'Analytical Engines', deletedAt: null });
    expect(await findMembership(db, team.clerkId, ada.clerkId)).toMatchObject({ role: 'org:member', deletedAt: null });
  });

  it.each([
    ['disable the organizations’ triggers', 'ALTER TABLE organizations DISABLE TRIGGER ALL'],
    ['drop the memberships’ guard trigger', 'DROP TRIGGER organization_memberships_written_only_by_the_mirror_writer ON organization_memberships'],
    ['drop organization_memberships', 'DROP TABLE organization_memberships'],
  ])('cannot %s', async (_attempt, statement) => {
    await expect(session.query(statement)).rejects.toThrow(permissionDenied);
    expect(await findMembership(db, team.clerkId, ada.clerkId)).toMatchObject({ role: 'org:member' });
  });

  it.each([
    ['SET ROLE to the owner', () => `SET ROLE ${roles.ownerRole}`],
    ['disable the triggers', () => 'ALTER TABLE users DISABLE TRIGGER ALL'],
    ['drop the guard trigger', () => 'DROP TRIGGER users_written_only_by_the_mirror_writer ON users'],
    ['drop users', () => 'DROP TABLE users CASCADE'],
    ['rename users', () => 'ALTER TABLE users RENAME TO users_old'],
    ['add a trigger of its own to users', () => 'CREATE TRIGGER hijack BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_written_only_by_the_mirror_writer()'],
    ['make itself the owner', () => `ALTER TABLE users OWNER TO ${roles.appRole}`],
    ['reference users from a table of its own', () => 'CREATE TABLE pin (user_id integer REFERENCES users (id) ON DELETE RESTRICT)'],
  ])('cannot %s', async (_attempt, statement) => {
    await expect(session.query(statement())).rejects.toThrow(permissionDenied);
    const { rows } = await session.query<{ current_user: string }>('SELECT current_user');
    expect(rows[0]!.current_user).toBe(roles.appRole);
    expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Ada');
  });

  it('cannot grant itself a write: it holds no grant option, so PostgreSQL grants nothing', async () => {
    await session.query(`GRANT INSERT, UPDATE ON users TO ${roles.appRole}`); // only a warning
    await expect(session.query("UPDATE users SET first_name = 'Forged'")).rejects.toThrow(permissionDenied);
    expect((await findUserByClerkId(db, ada.clerkId))?.firstName).toBe('Ada');
  });

  it('reads every mirrored table', async () => {
    for (const table of MIRRORED_TABLES) await expect(session.query(`SELECT count(*) FROM ${table}`)).resolves.toBeDefined();
  });
});

it('applies the webhook through the owner role and serves the queries through the app role', async () => {
  const db = await open();
  const queries = createQueries(db);
  const ada = await mirrorUser(db, { firstName: 'Ada', lastName: 'Lovelace' });
  expect(await queries.findViewer(ada.clerkId, null)).toEqual({ id: ada.id, deleted: false, team: null });
  const team = await mirrorOrganization(db);
  await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId });
  expect((await queries.findViewer(ada.clerkId, team.clerkId))?.team).toEqual({ state: 'member', organizationId: team.id, isAdmin: false });

  const created = await queries.createExpectation({ authorId: ada.id, organizationId: null, assigneeId: null, title: 'Ship the export', details: '', dueOn: null });
  expect(created).toMatchObject({ created: true });
  if (!created.created) throw new Error('not created');
  expect(await queries.setExpectationStatus({ id: created.id, actorId: ada.id, organizationId: null, actorIsTeamAdmin: false, status: 'met' })).toBe('updated');
  const page = await queries.listExpectations({ scope: 'all', limit: 10 });
  expect(page.items.map((item) => [item.title, item.status, item.author.displayName])).toEqual([['Ship the export', 'met', 'Ada Lovelace']]);
  expect(db.mirrorWriterLocation).toMatch(new RegExp(`^${roles.ownerRole}@127\\.0\\.0\\.1:\\d+/`));
  expect(db.location).toMatch(new RegExp(`^${roles.appRole}@`));
});

it('leaves the app role exactly SELECT on mirrored tables and read-write on its own', async () => {
  await open();
  const session = await appSession();
  try {
    const { rows } = await session.query<{ table_name: string; privileges: string }>(
      `SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
       FROM information_schema.role_table_grants WHERE grantee = current_user AND table_schema = 'public' GROUP BY table_name`,
    );
    expect(Object.fromEntries(rows.map((row) => [row.table_name, row.privileges]))).toEqual({
      ...Object.fromEntries(MIRRORED_TABLES.map((table) => [table, 'SELECT'])),
      ...Object.fromEntries(APP_TABLES.map((table) => [table, 'DELETE,INSERT,SELECT,UPDATE'])),
    });
  } finally {
    await session.end();
  }
});

it('names every table of the schema either mirrored or the app’s own, so a new one is placed before it ships', async () => {
  const db = await open();
  void db;
  const session = await appSession();
  try {
    const { rows } = await session.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(rows.map((row) => row.name)).toEqual([...MIRRORED_TABLES, ...APP_TABLES].sort());
    expect(MIRRORED_TABLES.filter((table) => APP_TABLES.includes(table))).toEqual([]);
  } finally {
    await session.end();
  }
});

it('grants once and agrees when several replicas start together on an empty database', async () => {
  const replicas = await Promise.all(Array.from({ length: 4 }, () => open({ poolSize: 1 })));
  for (const replica of replicas) await expect(replica.ping()).resolves.toBeUndefined();
  const session = await appSession();
  try {
    await expect(session.query('DELETE FROM users')).rejects.toThrow(permissionDenied);
  } finally {
    await session.end();
  }
});

it('revokes at start a write a superuser granted the app role directly', async () => {
  await open();
  await roles.asSuperuser(`GRANT INSERT, UPDATE ON users TO ${roles.appRole}; GRANT UPDATE (first_name) ON users TO ${roles.appRole}; GRANT DELETE ON webhook_events TO PUBLIC`);
  await open();
  const session = await appSession();
  try {
    await expect(session.query("UPDATE users SET first_name = 'Forged'")).rejects.toThrow(permissionDenied);
    await expect(session.query('DELETE FROM webhook_events')).rejects.toThrow(permissionDenied);
  } finally {
    await session.end();
  }
});

describe('refuses to open, naming the problem and its fix, when the app role', () => {
  const refusal = async () => {
    const error = await open().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatabasePrivilegeError);
    return (error as Error).message;
  };

  it('holds a write on users through a role it belongs to', async () => {
    await open(); // migrated
    await roles.asSuperuser(`CREATE ROLE ${roles.appRole}_writers NOLOGIN; GRANT INSERT ON users TO ${roles.appRole}_writers; GRANT UPDATE (deleted_at) ON users TO ${roles.appRole}_writers; GRANT ${roles.appRole}_writers TO ${roles.appRole}`);
    try {
      const message = await refusal();
      expect(message).toContain(`DATABASE_URL's role ${roles.appRole} could write the mirror`);
      expect(message).toMatch(/holds INSERT, UPDATE on users through a grant the API does not control/);
      expect(message).toContain('REVOKE ALL ON "users" FROM <that role>');
    } finally {
      await roles.asSuperuser(`DROP OWNED BY ${roles.appRole}_writers; DROP ROLE ${roles.appRole}_writers`);
    }
  });

  it('belongs to pg_write_all_data, which may write every table', async () => {
    await roles.asSuperuser(`GRANT pg_write_all_data TO ${roles.appRole}`);
    const message = await refusal();
    expect(message).toMatch(/holds INSERT, UPDATE, DELETE on users through a grant the API does not control/);
    expect(message).toMatch(/holds INSERT, UPDATE, DELETE on webhook_events/);
  });

  it('is a member of the owner role, even without inheriting its privileges', async () => {
    await roles.asSuperuser(`GRANT ${roles.ownerRole} TO ${roles.appRole}; ALTER ROLE ${roles.appRole} NOINHERIT`);
    expect(await refusal()).toContain(`is a member of ${roles.ownerRole}, the mirror writer's role, so it may SET ROLE and write as it: REVOKE "${roles.ownerRole}" FROM "${roles.appRole}"`);
  });

  it('is a superuser', async () => {
    await roles.asSuperuser(`ALTER ROLE ${roles.appRole} SUPERUSER`);
    expect(await refusal()).toContain(`${roles.appRole} is a superuser, which may write every table: give DATABASE_URL a role without it (ALTER ROLE "${roles.appRole}" NOSUPERUSER)`);
  });

  it('owns schema public, from which it could drop users', async () => {
    await open();
    await roles.asSuperuser(`ALTER SCHEMA public OWNER TO ${roles.appRole}`);
    expect(await refusal()).toContain(`${roles.appRole} is the owner of schema public, so it may drop users: make ${roles.ownerRole} the database's owner`);
  });

  it('owns the database: the owner role may then not even migrate it', async () => {
    await open();
    await roles.asSuperuser(`ALTER DATABASE ${new URL(roles.appUrl).pathname.slice(1)} OWNER TO ${roles.appRole}`);
    expect(await refusal()).toMatch(
      new RegExp(`role ${roles.ownerRole} could not migrate the schema \\(permission denied for database .*\\): it must own the database, e\\.g\\. ALTER DATABASE … OWNER TO "${roles.ownerRole}"`),
    );
  });

  it('is the owner role itself', async () => {
    const error = await openDatabase(roles.ownerUrl, { mirrorWriterUrl: roles.ownerUrl }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabasePrivilegeError);
    expect((error as Error).message).toContain(`DATABASE_URL and MIRROR_WRITER_DATABASE_URL both log in as ${roles.ownerRole}`);
  });
});

it('refuses a writer role that does not own a schema first migrated with one URL, saying how to hand it over', async () => {
  // The app role may create in this database only for this set-up: as a single-URL deployment did.
  await roles.asSuperuser(`GRANT CREATE ON SCHEMA public TO ${roles.appRole}; GRANT CREATE ON DATABASE ${new URL(roles.appUrl).pathname.slice(1)} TO ${roles.appRole}`);
  await (await openDatabase(roles.appUrl, { poolSize: 1 })).close();
  const error = await open().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DatabasePrivilegeError);
  expect((error as Error).message).toMatch(new RegExp(`role ${roles.ownerRole} must own the schema.*does not own drizzle\\.__drizzle_migrations \\(owned by ${roles.appRole}\\).*public\\.users \\(owned by ${roles.appRole}\\)`));
  expect((error as Error).message).toContain(`REASSIGN OWNED BY "${roles.appRole}" TO "${roles.ownerRole}";`);

  await roles.asSuperuser(`REASSIGN OWNED BY ${roles.appRole} TO ${roles.ownerRole}; REVOKE CREATE ON SCHEMA public FROM ${roles.appRole}`);
  const db = await open();
  await expect(mirrorUser(db)).resolves.toMatchObject({ id: expect.any(Number) });
});

it('refuses two URLs that reach different databases, and a writer URL beside SQLite', async () => {
  const other = new URL(roles.ownerUrl);
  other.pathname = '/postgres';
  await expect(openDatabase(roles.appUrl, { mirrorWriterUrl: other.toString() })).rejects.toThrow(
    /DATABASE_URL \(.*\) and MIRROR_WRITER_DATABASE_URL \(.*\/postgres\) reach different databases/,
  );
  await expect(openDatabase('file:/tmp/never-created.db', { mirrorWriterUrl: roles.ownerUrl })).rejects.toBeInstanceOf(DatabaseUrlError);
});
