import { appEmbedState } from "../domain/theme-embed";
import { logger } from "../platform/logger.server";
import type { AdminGraphql } from "./admin-api.server";
import { isAccessDenied } from "./admin-errors";
import { THEME_EXTENSION_EMBED } from "./theme";

/**
 * Whether the Comeback launcher (our app embed) is on in the store's live theme, for the
 * home page's checklist. One Admin API call: the main theme and its
 * config/settings_data.json (needs `read_themes`).
 *
 * It never fails the page: a refused scope (a store that has not approved `read_themes`
 * yet), throttling, a slow or unreachable Shopify all answer "unknown", with why. The
 * caller gives it a short time limit. Once seen on, a shop is not asked again for a few
 * minutes (per instance): the home page is opened often, and a launcher rarely goes off.
 */

export const MAIN_THEME_SETTINGS = `#graphql
  query ComebackMainThemeSettings {
    themes(roles: [MAIN], first: 1) {
      nodes {
        id
        files(filenames: ["config/settings_data.json"], first: 1) {
          nodes {
            filename
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
            }
          }
        }
      }
    }
  }
`;

export type ThemeEmbedCheck =
  | { state: "on" | "off" }
  /** scope: the store has not granted read_themes; unavailable: Shopify did not answer in time or at all. */
  | { state: "unknown"; reason: "scope" | "unavailable" };

const SEEN_ON_MS = 10 * 60_000;
const seenOn = new Map<string, number>();

function rememberOn(shop: string) {
  if (seenOn.size > 10_000) seenOn.clear();
  seenOn.set(shop, Date.now() + SEEN_ON_MS);
}

/** Reads the live theme's settings; throws what the client throws. */
async function readEmbed(admin: AdminGraphql): Promise<ThemeEmbedCheck> {
  const data = await admin.request(MAIN_THEME_SETTINGS);
  const body = data.themes?.nodes[0]?.files?.nodes[0]?.body;
  // No live theme (a store without the Online Store), or the file as base64 or a URL.
  const content = body && "content" in body ? body.content : null;
  if (content === null) return { state: "unknown", reason: "unavailable" };
  const state = appEmbedState(content, THEME_EXTENSION_EMBED);
  return state === "unreadable" ? { state: "unknown", reason: "unavailable" } : { state };
}

export async function checkThemeEmbed(
  shop: string,
  admin: () => Promise<AdminGraphql | null>,
  options: { timeoutMs: number },
): Promise<ThemeEmbedCheck> {
  if ((seenOn.get(shop) ?? 0) > Date.now()) return { state: "on" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<ThemeEmbedCheck>((resolve) => {
    timer = setTimeout(() => resolve({ state: "unknown", reason: "unavailable" }), options.timeoutMs);
  });
  const read = (async (): Promise<ThemeEmbedCheck> => {
    const client = await admin();
    if (!client) return { state: "unknown", reason: "unavailable" };
    const result = await readEmbed(client);
    // Remembered even when it comes in after the page stopped waiting: the next one gains.
    if (result.state === "on") rememberOn(shop);
    return result;
  })().catch((error: unknown): ThemeEmbedCheck => {
    if (isAccessDenied(error)) {
      // Expected until the merchant approves the new scope: not worth a warning per page view.
      logger.info({ shop }, "live theme not readable: read_themes not granted");
      return { state: "unknown", reason: "scope" };
    }
    logger.warn({ shop, err: error }, "could not read the live theme's app embeds");
    return { state: "unknown", reason: "unavailable" };
  });
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Forgets what was seen (tests). */
export function forgetThemeEmbeds() {
  seenOn.clear();
}
