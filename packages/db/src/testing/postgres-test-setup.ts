/** Vitest setup file of the "postgres" projects: hands the run's server to the test helpers. */
import { inject } from 'vitest';
import { TEST_POSTGRES_URL_VARIABLE } from './dialect';
import type {} from './postgres-global-setup'; // its ProvidedContext type

process.env[TEST_POSTGRES_URL_VARIABLE] = inject('expectationsPostgresUrl');
