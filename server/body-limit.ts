import { Transform, type TransformCallback } from "node:stream";

/**
 * How much of a request body the app will read, by route.
 *
 * Shopify's webhooks, App Proxy calls and extension calls are small; anything large
 * there is an attack or a mistake. The limit is chosen from the path the router will
 * match: Remix matches routes case-insensitively on the decoded path after URL
 * normalisation, so `/Webhooks/…`, `/%77ebhooks/…` and `/x/../webhooks/…` all count as
 * `/webhooks/…`. Every other path gets the global cap.
 *
 * The limit is enforced on the bytes actually read (ByteLimit), so a chunked body with no
 * Content-Length, or one that lies about it, is cut off at the limit too.
 */
const KB = 1024;
const MB = 1024 * KB;

const ROUTE_LIMITS: Array<[prefix: string, bytes: number]> = [
  ["/webhooks/", 1 * MB],
  ["/proxy/", 64 * KB],
  ["/extensions/", 64 * KB],
  // Member files from another loyalty app, streamed into the import (IMPORT_MAX_BYTES).
  ["/app/imports", 200 * MB],
];

/** Any other path: admin forms and actions are a few kilobytes. */
export const GLOBAL_BODY_LIMIT = 2 * MB;

/**
 * The path as the router sees it: dot segments resolved (as `new URL` does), percent
 * escapes decoded, repeated slashes collapsed, lower-cased. Null when it cannot be decoded.
 */
export function routePath(originalUrl: string): string | null {
  let pathname: string;
  try {
    // Concatenated, not resolved against a base, as the Remix adapter builds its URL:
    // "//webhooks/…" is a path here, not a host.
    pathname = decodeURIComponent(new URL(`http://app.invalid${originalUrl}`).pathname);
  } catch {
    return null;
  }
  return pathname.replace(/\/{2,}/g, "/").toLowerCase();
}

export function bodyLimitFor(path: string): number {
  return ROUTE_LIMITS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? GLOBAL_BODY_LIMIT;
}

export class PayloadTooLargeError extends Error {
  override name = "PayloadTooLargeError";
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/** Passes bytes through until `limit` have gone by, then fails instead of reading more. */
export class ByteLimit extends Transform {
  private seen = 0;
  exceeded = false;

  constructor(readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      this.exceeded = true;
      callback(new PayloadTooLargeError(this.limit));
      return;
    }
    callback(null, chunk);
  }
}
