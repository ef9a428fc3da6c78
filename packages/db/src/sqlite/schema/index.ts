import { defineTables } from '../../schema/tables';
import { sqliteColumnKit } from '../kit';

// drizzle-kit's schema for SQLite (drizzle.sqlite.config.ts): the tables of src/schema, built
// with SQLite's column kit.
export const { users, organizations, organizationMemberships, expectations, webhookEvents, feedEvents } = defineTables(sqliteColumnKit);
