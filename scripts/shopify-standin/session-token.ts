import { createHmac, randomUUID } from "node:crypto";

/**
 * A Shopify session token (the JWT App Bridge and UI extensions send as a Bearer token),
 * signed as Shopify signs it: HS256 with the app's API secret, `aud` the API key, `dest`
 * the shop. Tests use it to exercise the real `authenticate.admin` and
 * `authenticate.public.checkout` paths; the local demo uses it to open the admin pages
 * outside Shopify admin. Never part of the production build.
 */
export interface SessionTokenInput {
  shop: string;
  apiKey: string;
  secret: string;
  /** The staff member (admin) or customer (checkout); omitted for guests. */
  sub?: string;
  ttlSeconds?: number;
  now?: Date;
  /** Admin tokens carry `iss` = the shop's admin URL; checkout tokens the shop URL. */
  issuer?: "admin" | "shop";
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function mintSessionToken(input: SessionTokenInput): string {
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const payload = {
    iss: input.issuer === "shop" ? `https://${input.shop}` : `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    ...(input.sub ? { sub: input.sub } : {}),
    exp: now + (input.ttlSeconds ?? 60),
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac("sha256", input.secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}
