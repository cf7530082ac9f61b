/** Pagination and search helpers shared by the staff list screens. Pure, no database access. */

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export function pageOf<T>(items: T[], total: number, page: number, pageSize: number): Page<T> {
  return { items, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/**
 * An ILIKE pattern matching values that contain `text` literally: %, _ and the escape character
 * itself would otherwise act as wildcards ("50%" must not match everything starting with "50").
 * Postgres's default LIKE escape character is the backslash.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The total behind a page read with `count(*) over ()` as `total`: the first row carries it, except past
 * the last page, where there is no row and `countAll` supplies the real total for the pager.
 */
export async function windowedTotal(rows: ReadonlyArray<{ total: number }>, page: number, countAll: () => Promise<number>): Promise<number> {
  if (rows[0]) return rows[0].total;
  return page > 1 ? countAll() : 0;
}
