import type { PrismaClient } from "../../app/generated/prisma/client";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import { mintSessionToken, type TokenSurface } from "../../scripts/shopify-standin/session-token";
import { TEST_SECRET } from "./shopify";
import { decode } from "turbo-stream";

/**
 * Calls the embedded admin's loaders and actions the way App Bridge does: a session
 * token (signed with the app's secret) in the Authorization header, and Remix's
 * single-fetch data URLs (`<path>.data`) rather than HTML.
 */
export const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

/** An installed shop: the offline session authenticate.admin looks up. */
export async function installShop(prisma: PrismaClient, shop: string) {
  await prisma.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "test",
      isOnline: false,
      scope: DEFAULT_SCOPES.join(","),
      accessToken: "shpat_test",
    },
  });
}

export interface AdminResponse<T = unknown> {
  status: number;
  /** The route's data (loaders) or the action's, decoded from Remix's single-fetch stream. */
  data: T;
  /** Where an action redirected to, if it did. */
  redirect: string | null;
}

/** Decodes a single-fetch (turbo-stream) body; a non-stream body (e.g. 401) decodes to null. */
async function decodeBody(response: Response): Promise<unknown> {
  if (!response.headers.get("content-type")?.includes("text/x-script") || !response.body) {
    await response.body?.cancel();
    return null;
  }
  try {
    const decoded = await decode(response.body);
    await decoded.done;
    return decoded.value;
  } catch {
    // Errors (401, 404) are not always encoded as data; their status is what matters.
    return null;
  }
}

export function adminClient(
  baseUrl: string,
  shop: string,
  options: { secret?: string; staff?: string; surface?: TokenSurface } = {},
) {
  const headers = (extra: Record<string, string> = {}) => ({
    "User-Agent": BROWSER_UA,
    Authorization: `Bearer ${mintSessionToken({ shop, apiKey: "test-api-key", secret: options.secret ?? TEST_SECRET, sub: options.staff ?? "1", surface: options.surface })}`,
    ...extra,
  });
  return {
    /** The headers of an authenticated admin request, for raw fetches. */
    headers,
    /** GET <path>.data?_routes=<route>, as Remix's client loads a route's data. */
    async load<T = Record<string, unknown>>(path: string, route: string): Promise<AdminResponse<T>> {
      // Single fetch puts ".data" on the path, before any query string.
      const [pathname, query] = path.split("?");
      const search = new URLSearchParams(query);
      search.set("_routes", route);
      const response = await fetch(`${baseUrl}${pathname}.data?${search}`, { headers: headers(), redirect: "manual" });
      const value = (await decodeBody(response)) as Record<string, { data?: T }> | null;
      return { status: response.status, data: value?.[route]?.data as T, redirect: null };
    },
    /** POST <path>.data with a form, as a Remix <Form> submits. */
    async act<T = Record<string, unknown>>(path: string, fields: Record<string, string>): Promise<AdminResponse<T>> {
      const [pathname, query] = path.split("?");
      const response = await fetch(`${baseUrl}${pathname}.data${query ? `?${query}` : ""}`, {
        method: "POST",
        headers: headers({ "Content-Type": "application/x-www-form-urlencoded" }),
        body: new URLSearchParams(fields).toString(),
        redirect: "manual",
      });
      const value = (await decodeBody(response)) as { data?: T; redirect?: string } | null;
      return {
        status: response.status,
        data: value?.data as T,
        redirect: value?.redirect ?? response.headers.get("x-remix-redirect"),
      };
    },
  };
}
