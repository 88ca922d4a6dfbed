import { authenticate } from "../shopify.server";
import { shopFromTokenDest } from "./ids";

/**
 * `authenticate.admin`, refusing with 401 any session token that is not an admin one.
 *
 * Only App Bridge mints admin tokens, whose `dest` is "https://{shop}". A checkout or
 * customer-account extension token (bare `dest`, signed with the same secret) would make
 * the library's `new URL(dest)` throw, which Remix answers with a 500; it is simply the
 * wrong credential for the admin, so it gets the same answer as any other bad token.
 */
export async function authenticateAdmin(request: Request) {
  const token =
    request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ??
    new URL(request.url).searchParams.get("id_token");
  const dest = token ? tokenClaim(token, "dest") : undefined;
  if (dest !== undefined && !(typeof dest === "string" && dest.startsWith("https://") && shopFromTokenDest(dest))) {
    throw new Response(JSON.stringify({ error: "invalid_session_token", message: "Not an admin session token" }), {
      status: 401,
      headers: { "Content-Type": "application/json" },
    });
  }
  return authenticate.admin(request);
}

/** A claim of an unverified JWT, for routing only; the library verifies the signature. */
function tokenClaim(token: string, claim: string): unknown {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    return payload[claim];
  } catch {
    return undefined;
  }
}
