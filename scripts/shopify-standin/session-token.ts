import { createHmac, randomUUID } from "node:crypto";

/**
 * Shopify session tokens (the JWTs App Bridge and UI extensions send as a Bearer token),
 * minted as Shopify mints them: HS256 with the app's API secret, one claim set per
 * surface. Tests use them to exercise the real `authenticate.admin`,
 * `authenticate.public.checkout` and `authenticate.public.customerAccount`; the local demo
 * uses admin tokens to open the admin pages outside Shopify admin. Never part of the
 * production build.
 *
 * Sources, per surface:
 * - admin (App Bridge): shopify.dev "Session tokens" (apps/build/authentication-authorization/
 *   session-tokens): `iss` https://{shop}/admin, `dest` https://{shop}, `aud` the API key,
 *   `sub` the staff member's numeric user id, `exp`, `nbf`, `iat`, `jti`, `sid`; and the
 *   library's helper shopify-api test-helpers/get-jwt.ts (same claims).
 * - checkout (UI extensions): shopify-app-remix src/server/authenticate/public/checkout/
 *   __tests__/authenticate.test.ts ("Checkout UI session tokens don't include the
 *   protocol": `dest` is the bare shop host) and shopify.dev checkout-ui-extensions
 *   Session Token API: `dest`, `aud`, `exp`, `nbf`, `iat`, `jti`, and `sub` (the buyer's
 *   customer GID) only when a buyer is signed in; no `iss`, no `sid`.
 * - customer account (UI extensions): shopify.dev customer-account-ui-extensions Session
 *   Token API: `dest` names the shop, `sub` is the signed-in customer's GID; the same
 *   claim set as checkout.
 */
export type TokenSurface = "admin" | "checkout" | "customer-account";

export interface SessionTokenInput {
  shop: string;
  apiKey: string;
  secret: string;
  surface?: TokenSurface;
  /** admin: the staff member's user id ("1"); checkout and customer account: a customer GID. */
  sub?: string;
  /** Checkout tokens live 5 minutes, admin tokens 1 minute. */
  ttlSeconds?: number;
  now?: Date;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function sessionTokenClaims(input: SessionTokenInput): Record<string, string | number> {
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const surface = input.surface ?? "admin";
  const times = {
    exp: now + (input.ttlSeconds ?? (surface === "admin" ? 60 : 300)),
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
  };
  if (surface === "admin") {
    return {
      iss: `https://${input.shop}/admin`,
      dest: `https://${input.shop}`,
      aud: input.apiKey,
      ...(input.sub ? { sub: input.sub } : {}),
      ...times,
      sid: randomUUID(),
    };
  }
  return { dest: input.shop, aud: input.apiKey, ...(input.sub ? { sub: input.sub } : {}), ...times };
}

export function signSessionToken(claims: Record<string, unknown>, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

export function mintSessionToken(input: SessionTokenInput): string {
  return signSessionToken(sessionTokenClaims(input), input.secret);
}
