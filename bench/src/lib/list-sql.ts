import { listExpectations, openDatabase } from '@expectations/db';

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
export function captureListStatement(path: string, withCursor: boolean): CapturedListStatement {
  const db = openDatabase(path, { migrate: false });
  try {
    let captured: { sql: string; parameters: unknown[] } | undefined;
    const prepare = db.sqlite.prepare.bind(db.sqlite);
    db.sqlite.prepare = ((source: string) => {
      const statement = prepare(source);
      if (/from "expectations"/i.test(source)) {
        const all = statement.all.bind(statement);
        statement.all = ((...parameters: unknown[]) => {
          captured = { sql: source, parameters };
          return all(...parameters);
        }) as typeof statement.all;
      }
      return statement;
    }) as typeof db.sqlite.prepare;
    void listExpectations(db, withCursor ? { limit: LIMIT_MARKER, beforeId: BEFORE_ID_MARKER } : { limit: LIMIT_MARKER });
    if (!captured) throw new Error('could not capture the expectations.list statement');
    return {
      ...captured,
      limitIndex: captured.parameters.indexOf(LIMIT_MARKER + 1),
      beforeIdIndex: captured.parameters.indexOf(BEFORE_ID_MARKER),
    };
  } finally {
    db.close();
  }
}
