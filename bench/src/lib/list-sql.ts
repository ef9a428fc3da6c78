import { listExpectations, openDatabase, type ListExpectationsOptions } from '@expectations/db';

/**
 * The exact SQL text `expectations.list` runs for the given filters, captured as the db package
 * prepares it, so the floor and the query plan use the product's statement, not a copy.
 */
export function captureListSql(path: string, filters: Omit<ListExpectationsOptions, 'limit'>): string {
  const db = openDatabase(path, { migrate: false });
  try {
    const sources: string[] = [];
    const prepare = db.sqlite.prepare.bind(db.sqlite);
    db.sqlite.prepare = ((source: string) => {
      sources.push(source);
      return prepare(source);
    }) as typeof db.sqlite.prepare;
    void listExpectations(db, { limit: 20, ...filters });
    const listSql = sources.find((source) => /from "expectations"/i.test(source));
    if (!listSql) throw new Error('could not capture the expectations.list statement');
    return listSql;
  } finally {
    db.close();
  }
}
