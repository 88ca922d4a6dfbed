/** PostgreSQL's bigint ceiling: Shopify ids are stored in bigint columns. */
export const MAX_DB_ID = 9223372036854775807n;

/**
 * A positive decimal id that fits a bigint column, else null. Text that passes a digits
 * regex can still overflow the column, and PostgreSQL then fails the whole query (a 500).
 */
export function parseDbId(text: string): bigint | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const value = BigInt(text);
  return value > 0n && value <= MAX_DB_ID ? value : null;
}
