import pg from 'pg';
import { DatabasePrivilegeError } from './settings';

// With two PostgreSQL roles (DATABASE_URL and MIRROR_WRITER_DATABASE_URL), the boundary around
// the mirror is the database's own privilege system: the mirror writer's role owns the schema,
// and the queries' role may only SELECT what Clerk's webhook writes. A session of the queries'
// role then cannot write the mirror however it tries (set_config, SET ROLE, ALTER TABLE … DISABLE
// TRIGGER, DROP TABLE), which the triggers of migrations/postgres/0001 alone cannot promise.

/**
 * The tables only the mirror writer writes: the queries' role gets SELECT on them and nothing
 * else. Every table of the schema is in exactly one of these two lists (a test checks it), so a
 * new table must be placed on one side before it ships.
 */
export const MIRRORED_TABLES: readonly string[] = ['users', 'organizations', 'organization_memberships', 'webhook_events'];

/** The app's own tables, which the queries' role reads and writes. */
export const APP_TABLES: readonly string[] = ['expectations', 'feed_events', 'mutation_rate_limits'];

/** Every privilege on a table but SELECT: each lets a role change a table or what writing it does. */
const WRITE_PRIVILEGES = ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

const tableList = (tables: readonly string[]) => tables.map((table) => pg.escapeIdentifier(table)).join(', ');

/**
 * Checked on the mirror writer's connection before it migrates: it must own every table and
 * sequence already in the schema (and drizzle's record of migrations), or it could neither
 * migrate them nor grant the queries' role its privileges. A database first migrated with a
 * single URL is owned by DATABASE_URL's role; the message says how to hand it over.
 */
export async function checkMirrorWriterOwnsSchema(writer: pg.ClientBase): Promise<void> {
  const { rows } = await writer.query<{ role: string; object: string; owner: string }>(`
    SELECT current_user AS role, format('%I.%I', n.nspname, c.relname) AS object, pg_get_userbyid(c.relowner) AS owner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('public', 'drizzle') AND c.relkind IN ('r', 'p', 'S') AND NOT pg_has_role(c.relowner, 'USAGE')
    UNION ALL
    SELECT current_user, format('schema %I', nspname), pg_get_userbyid(nspowner)
    FROM pg_namespace WHERE nspname = 'drizzle' AND NOT pg_has_role(nspowner, 'USAGE')
    ORDER BY 2`);
  if (rows.length === 0) return;
  const writerRole = rows[0]!.role;
  const owners = [...new Set(rows.map((row) => row.owner))];
  throw new DatabasePrivilegeError(
    `MIRROR_WRITER_DATABASE_URL's role ${writerRole} must own the schema, to migrate it and to grant DATABASE_URL's role its privileges, ` +
      `but does not own ${rows.map((row) => `${row.object} (owned by ${row.owner})`).join(', ')}. ` +
      `As a superuser, in this database: ${owners.map((owner) => `REASSIGN OWNED BY ${pg.escapeIdentifier(owner)} TO ${pg.escapeIdentifier(writerRole)};`).join(' ')} (docs/operations.md, "Two roles").`,
  );
}

/**
 * Run by the mirror writer's role (the owner) under the migrations' advisory lock, so replicas
 * starting together grant one after the other (concurrent GRANTs on one table can fail). One
 * transaction: a running replica never sees the queries' role without its SELECT. Idempotent.
 *
 * REVOKE also removes grants a superuser made on the owner's tables (PostgreSQL records them as
 * the owner's), and those to PUBLIC. Grants through another role the queries' role belongs to are
 * not the owner's to revoke: checkQueriesRoleCannotWriteMirror finds them.
 *
 * No sequence grants: the ids are identity columns, whose sequences need none.
 */
export async function grantQueriesRole(writer: pg.ClientBase, queriesRole: string): Promise<void> {
  const role = pg.escapeIdentifier(queriesRole);
  await writer.query('BEGIN');
  try {
    await writer.query(`REVOKE ALL ON TABLE ${tableList(MIRRORED_TABLES)} FROM PUBLIC, ${role}`);
    await writer.query(`GRANT SELECT ON TABLE ${tableList(MIRRORED_TABLES)} TO ${role}`);
    await writer.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ${tableList(APP_TABLES)} TO ${role}`);
    await writer.query('COMMIT');
  } catch (error) {
    await writer.query('ROLLBACK');
    throw error;
  }
}

interface MirroredTableAccess {
  name: string;
  owner: string;
  member_of_owner: boolean;
  schema: string;
  schema_owner: string;
  member_of_schema_owner: boolean;
  writes: string[];
}

/**
 * Checked on a connection of the queries' role, as that role: it must not be able to write any
 * mirrored table by any path PostgreSQL offers. Throws DatabasePrivilegeError listing every way
 * it could, each with its fix.
 */
export async function checkQueriesRoleCannotWriteMirror(queries: pg.ClientBase, writerRole: string): Promise<void> {
  const { rows: roleRows } = await queries.query<{ role: string; superuser: boolean; member_of_writer: boolean }>(
    `SELECT current_user AS role, rolsuper AS superuser, pg_has_role($1, 'MEMBER') AS member_of_writer FROM pg_roles WHERE rolname = current_user`,
    [writerRole],
  );
  const { role, superuser, member_of_writer } = roleRows[0]!;
  const { rows: tables } = await queries.query<MirroredTableAccess>(
    `SELECT t.name, pg_get_userbyid(c.relowner) AS owner, pg_has_role(c.relowner, 'MEMBER') AS member_of_owner,
            n.nspname AS schema, pg_get_userbyid(n.nspowner) AS schema_owner, pg_has_role(n.nspowner, 'MEMBER') AS member_of_schema_owner,
            ARRAY(SELECT p FROM unnest($2::text[]) AS p
                  WHERE has_table_privilege(c.oid, p) OR (p IN ('INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege(c.oid, p))) AS writes
     FROM unnest($1::text[]) AS t(name)
     JOIN pg_class c ON c.oid = to_regclass('public.' || quote_ident(t.name))
     JOIN pg_namespace n ON n.oid = c.relnamespace
     ORDER BY t.name`,
    [MIRRORED_TABLES, WRITE_PRIVILEGES],
  );

  const problems: string[] = [];
  if (superuser) problems.push(`${role} is a superuser, which may write every table: give DATABASE_URL a role without it (ALTER ROLE ${pg.escapeIdentifier(role)} NOSUPERUSER)`);
  if (member_of_writer) {
    problems.push(`${role} is a member of ${writerRole}, the mirror writer's role, so it may SET ROLE and write as it: REVOKE ${pg.escapeIdentifier(writerRole)} FROM ${pg.escapeIdentifier(role)}`);
  }
  for (const table of tables) {
    if (table.member_of_owner && !member_of_writer) {
      problems.push(`${role} is a member of ${table.owner}, which owns ${table.name}: make ${writerRole} its owner (REASSIGN OWNED BY ${pg.escapeIdentifier(table.owner)} TO ${pg.escapeIdentifier(writerRole)})`);
    }
    if (table.member_of_schema_owner && !member_of_writer) {
      const owner = table.schema_owner === 'pg_database_owner' ? "the database's owner" : table.schema_owner;
      problems.push(
        `${role} is ${owner === role ? 'the owner' : `a member of ${owner}, the owner`} of schema ${table.schema}, so it may drop ${table.name}: make ${writerRole} the database's owner (ALTER DATABASE … OWNER TO ${pg.escapeIdentifier(writerRole)})`,
      );
    }
    if (table.writes.length > 0 && !table.member_of_owner && !member_of_writer && !superuser) {
      problems.push(
        `${role} holds ${table.writes.join(', ')} on ${table.name} through a grant the API does not control (to a role ${role} belongs to, or on columns): revoke it, e.g. REVOKE ALL ON ${pg.escapeIdentifier(table.name)} FROM <that role>`,
      );
    }
  }
  if (problems.length === 0) return;
  throw new DatabasePrivilegeError(
    `DATABASE_URL's role ${role} could write the mirror, which only the mirror writer (MIRROR_WRITER_DATABASE_URL) may; ` +
      `it may only SELECT ${MIRRORED_TABLES.join(', ')} (docs/operations.md, "Two roles"):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
  );
}
