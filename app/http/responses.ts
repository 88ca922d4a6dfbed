import type { z } from "zod";
import { describeIssues } from "../domain/validation";

/**
 * The app's HTTP edge: JSON answers and request bodies, one way for every route.
 * Arguments follow Remix's `json(data, init)`: the body first, then the status or init.
 */

/** Per-customer data: never stored by shared caches or the browser. */
export const PRIVATE = { "Cache-Control": "private, no-store" } as const;

export function jsonResponse(body: unknown, init: number | ResponseInit = 200): Response {
  const options = typeof init === "number" ? { status: init } : init;
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "application/json");
  return new Response(JSON.stringify(body), { ...options, headers });
}

/** JSON about one customer (App Proxy, extensions): never cached. */
export function privateJson(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return jsonResponse(body, { status, headers: { ...PRIVATE, ...Object.fromEntries(new Headers(headers)) } });
}

/** An error answer: a stable code for programs, a sentence for people. */
export function errorResponse(
  status: number,
  error: string,
  message?: string,
  extra: Record<string, unknown> = {},
  headers?: HeadersInit,
): Response {
  return jsonResponse({ error, ...(message ? { message } : {}), ...extra }, { status, headers });
}

/** JSON body types a browser form cannot send: what cross-site protection rests on. */
export function isJsonRequest(request: Request): boolean {
  return /^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "");
}

export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * Reads a JSON body and validates it: 415 unless it is JSON, 413 past `maxBytes` (the
 * server's byte counter has already cut anything past the route's limit), 400 with the
 * schema's reasons otherwise. Nothing is read twice; the caller writes nothing on failure.
 */
export async function readJsonBody<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
  options: { maxBytes?: number; headers?: HeadersInit } = {},
): Promise<BodyResult<z.infer<S>>> {
  const fail = (status: number, error: string, message: string, extra: Record<string, unknown> = {}) => ({
    ok: false as const,
    response: errorResponse(status, error, message, extra, options.headers),
  });
  if (!isJsonRequest(request)) return fail(415, "unsupported_media_type", "Send the body as application/json");
  const text = await request.text();
  if (options.maxBytes !== undefined && Buffer.byteLength(text) > options.maxBytes) {
    return fail(413, "payload_too_large", `The body is over ${options.maxBytes} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(400, "malformed_json", "The body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    return fail(400, "invalid_request", "The body is not what this endpoint takes", {
      issues: describeIssues(parsed.error),
    });
  return { ok: true, data: parsed.data };
}
