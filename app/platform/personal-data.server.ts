import { createHmac } from "node:crypto";
import { appConfig } from "./runtime.server";

/**
 * A stable stand-in for a piece of personal data (an email) where the app needs a key but
 * not the value: idempotency keys, deduplication. Keyed with the app's secret, so a copy
 * of the database alone cannot test guesses ("was anna@example.com a reviewer?") against
 * it, and erasing the customer's rows leaves nothing that names them.
 */
let key: Buffer | null = null;

export function pseudonym(value: string): string {
  key ??= Buffer.from(`comeback-pseudonym:${appConfig().apiSecret}`);
  return createHmac("sha256", key).update(value.trim().toLowerCase()).digest("base64url").slice(0, 22);
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;

/** Replaces email addresses in text; what logs must never hold. */
export function scrubEmails(text: string): string {
  return text.replace(EMAIL, "[email]");
}
