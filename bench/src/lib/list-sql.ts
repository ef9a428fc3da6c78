import { createQueries, openDatabase } from '@expectations/db';
import { recordStatements } from '@expectations/db/testing';

export interface CapturedListStatement {
  /** The exact SQL text the db package prepares for an unfiltered page. */
  sql: string;
  /** Its bound parameters, with the page size + 1 at `limitIndex` and the cursor at `beforeIdIndex`. */
  parameters: unknown[];
  limitIndex: number;
  beforeIdIndex: number;
}

const LIMIT_MARKER = 424_242;
const BEFORE_ID_MARKER = 737_373;

/**
 * Captures the statement `expectations.list` runs, with its parameters in order, as the db
 * package prepares and runs it: the floor then runs the product's own SQL, not a copy.
 */
export async function captureListStatement(url: string, withCursor: boolean): Promise<CapturedListStatement> {
  const db = await openDatabase(url, { migrate: false });
  try {
    const recorder = recordStatements(db);
    await createQueries(db).listExpectations(withCursor ? { limit: LIMIT_MARKER, beforeId: BEFORE_ID_MARKER } : { limit: LIMIT_MARKER });
    recorder.stop();
    const captured = recorder.executed.find((statement) => /from "expectations"/i.test(statement.sql));
    if (!captured) throw new Error('could not capture the expectations.list statement');
    return {
      sql: captured.sql,
      parameters: captured.params,
      limitIndex: captured.params.indexOf(LIMIT_MARKER + 1),
      beforeIdIndex: captured.params.indexOf(BEFORE_ID_MARKER),
    };
  } finally {
    await db.close();
  }
}
