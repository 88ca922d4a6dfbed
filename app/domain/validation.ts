/**
 * The validators every edge of the app shares: ids, cursors' parts, dates, emails and shop
 * domains. Input that passes a loose check can still break a query (a digit string past
 * PostgreSQL's bigint, a year it cannot store), and PostgreSQL then fails the whole
 * statement with a 500; these refuse such input up front so the caller can answer 4xx.
 */

/** PostgreSQL's bigint ceiling: Shopify ids and our sequences are stored in bigint columns. */
export const MAX_DB_ID = 9223372036854775807n;

/** A positive decimal id that fits a bigint column, else null. */
export function parseDbId(text: string): bigint | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const value = BigInt(text);
  return value > 0n && value <= MAX_DB_ID ? value : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: unknown): text is string {
  return typeof text === "string" && UUID.test(text);
}

/**
 * An ISO-8601 instant within the years anything real happens in (1970 to 9999), else
 * null. PostgreSQL stores later years, JavaScript's Date even more, but neither a cursor
 * nor a report has any business there.
 */
export function parseInstant(text: unknown): Date | null {
  if (typeof text !== "string" || text.length > 40) return null;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  return year >= 1970 && year <= 9999 ? date : null;
}

/** Emails are matched lower-cased and trimmed; anything without an "@" is no email. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed && trimmed.includes("@") && trimmed.length <= 254 ? trimmed : null;
}

/** A shop's permanent domain, as Shopify sends it in headers, tokens and queries. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

export function isShopDomain(text: string): boolean {
  return SHOP_DOMAIN.test(text);
}

/** A schema's complaints as "path: message" lines, at most ten: what a 4xx answer lists. */
export function describeIssues(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}): string[] {
  return error.issues.slice(0, 10).map((issue) => `${issue.path.map(String).join(".") || "(body)"}: ${issue.message}`);
}
