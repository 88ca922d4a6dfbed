import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The signed links in every message: the open pixel, click redirects, the one-click
 * unsubscribe (RFC 8058) and the preference page. Each names the message and carries an
 * HMAC of what it does (and, for a click, of the destination), so nobody can unsubscribe
 * someone else or turn the redirect into an open redirect. The key is derived from the
 * app's secret.
 */

export type LinkPurpose = "open" | "click" | "unsubscribe" | "preferences" | "nps";

function mac(secret: string, purpose: LinkPurpose, messageId: string, extra = ""): string {
  return createHmac("sha256", `comeback-mail:${secret}`)
    .update(`${purpose}\n${messageId}\n${extra}`)
    .digest("base64url")
    .slice(0, 27);
}

export function signLink(secret: string, purpose: LinkPurpose, messageId: string, extra = ""): string {
  return `${messageId}.${mac(secret, purpose, messageId, extra)}`;
}

/** The message id a token names, or null when the token was not signed for this purpose. */
export function verifyLink(secret: string, purpose: LinkPurpose, token: string, extra = ""): string | null {
  const match = /^([0-9a-f-]{36})\.([\w-]{27})$/.exec(token);
  if (!match) return null;
  const expected = Buffer.from(mac(secret, purpose, match[1]!, extra));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1]! : null;
}

export interface MessageLinks {
  open: string;
  click(url: string): string;
  unsubscribe: string;
  preferences: string;
  /** An NPS score's one-click answer (App Proxy, on the store's domain). */
  survey(score: number): string;
}

/**
 * The links for one message. Tracking and one-click unsubscribe go to the app; the
 * preference page is an App Proxy page on the store's own domain.
 */
export function messageLinks(options: {
  secret: string;
  appUrl: string;
  storefrontUrl: string;
  proxyPath: string;
  messageId: string;
}): MessageLinks {
  const { secret, appUrl, messageId } = options;
  return {
    open: `${appUrl}/m/o/${signLink(secret, "open", messageId)}.gif`,
    click: (url) => `${appUrl}/m/c/${signLink(secret, "click", messageId, url)}?u=${encodeURIComponent(url)}`,
    unsubscribe: `${appUrl}/m/u/${signLink(secret, "unsubscribe", messageId)}`,
    preferences: `${options.storefrontUrl}${options.proxyPath}/preferences?t=${signLink(secret, "preferences", messageId)}`,
    survey: (score) => surveyLink(secret, `${options.storefrontUrl}${options.proxyPath}`, messageId, score),
  };
}

/** One NPS score's one-click answer: the App Proxy's survey page under `proxyBase`. */
export function surveyLink(secret: string, proxyBase: string, messageId: string, score: number): string {
  return `${proxyBase}/nps?t=${signLink(secret, "nps", messageId, String(score))}&s=${score}`;
}
