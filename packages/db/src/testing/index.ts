/**
 * Test helpers. Only tests, the benchmarks and the reliability scenarios may import this entry
 * point (enforced by lint): it reaches the mirror writer and the raw connections, and product
 * code must not.
 */
export { insertExpectations, type ExpectationSeed } from './bulk';
export { testDialect } from './dialect';
export {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  deleteMirroredOrganization,
  deleteMirroredUser,
  mirrorMembership,
  mirrorOrganization,
  mirrorUser,
  updateMirroredUser,
  type TestMembership,
  type TestOrganization,
  type TestUser,
} from './mirror';
export { createTwoRoleDatabase, type TwoRoleDatabase } from './postgres-roles';
export { startPostgresServer, type PostgresServer, type PostgresServerOptions } from './postgres-server';
export { recordStatements, type ExecutedStatement } from './record-statements';
export {
  databaseSnapshot,
  explainPrepared,
  findMembership,
  findOrganizationByClerkId,
  findUserByClerkId,
  sqlRows,
  sqlRun,
  type MembershipRow,
  type OrganizationRow,
  type UserRow,
} from './sql';
export { createTempDatabase, createTempDatabaseUrl, type TempDatabase, type TempDatabaseUrl } from './temp-database';
