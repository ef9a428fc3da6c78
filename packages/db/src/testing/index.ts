/**
 * Test helpers. Only tests and the benchmarks may import this entry point (enforced by lint): it
 * reaches the mirror writer and the raw connections, and product code must not.
 */
export { createTempDatabase, type TempDatabase } from './temp-database';
export { clerkUser, deleteMirroredUser, mirrorUser, type TestUser } from './mirror';
export { databaseSnapshot, findUserByClerkId, sqlRows, sqlRun, type UserRow } from './sql';
export { recordStatements, type ExecutedStatement } from './record-statements';
export { insertExpectations, type ExpectationSeed } from './bulk';
