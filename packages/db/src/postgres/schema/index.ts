import { defineTables } from '../../schema/tables';
import { postgresColumnKit } from '../kit';

// drizzle-kit's schema for PostgreSQL (drizzle.postgres.config.ts): the tables of src/schema,
// built with PostgreSQL's column kit, and the one table only PostgreSQL has.
export const { users, organizations, organizationMemberships, expectations, webhookEvents, feedEvents } = defineTables(postgresColumnKit);
export * from './mutation-rate-limits';
