import { createQueries, openDatabase } from '@expectations/db';
import { recordStatements } from '@expectations/db/testing';

export interface CapturedListStatement {
  /** The exact SQL text the db package prepares for an unfiltered page. */
  sql: string;
  /**
   * Its bound parameters, with the page size + 1 at `limitIndex`, the cursor at `beforeIdIndex`,
   * and the session's Clerk user and organization ids (its scope) at `userIndexes` and `organizationIndexes`.
   */
  parameters: unknown[];
  limitIndex: number;
  beforeIdIndex: number;
  userIndexes: number[];
  organizationIndexes: number[];
}

const LIMIT_MARKER = 424_242;
const BEFORE_ID_MARKER = 737_373;
const USER_MARKER = 'user_marker';
const ORGANIZATION_MARKER = 'org_marker';

const indexesOf = (values: unknown[], marker: unknown) => values.flatMap((value, index) => (value === marker ? [index] : []));

/**
 * Captures the statement `expectations.list` runs for a session with a team active, with its
 * parameters in order, as the db package prepares and runs it: the floor then runs the product's
 * own SQL, scope check included, not a copy.
 */
export async function captureListStatement(url: string, withCursor: boolean): Promise<CapturedListStatement> {
  const db = await openDatabase(url, { migrate: false });
  try {
    const recorder = recordStatements(db);
    const scope = { clerkUserId: USER_MARKER, clerkOrganizationId: ORGANIZATION_MARKER };
    await createQueries(db).listExpectations(withCursor ? { scope, limit: LIMIT_MARKER, beforeId: BEFORE_ID_MARKER } : { scope, limit: LIMIT_MARKER });
    recorder.stop();
    const captured = recorder.executed.find((statement) => /from "expectations"/i.test(statement.sql));
    if (!captured) throw new Error('could not capture the expectations.list statement');
    return {
      sql: captured.sql,
      parameters: captured.params,
      limitIndex: captured.params.indexOf(LIMIT_MARKER + 1),
      beforeIdIndex: captured.params.indexOf(BEFORE_ID_MARKER),
      userIndexes: indexesOf(captured.params, USER_MARKER),
      organizationIndexes: indexesOf(captured.params, ORGANIZATION_MARKER),
    };
  } finally {
    await db.close();
  }
}
