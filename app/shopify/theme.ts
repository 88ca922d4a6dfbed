/**
 * The theme app extension's handles, for deep links that open the theme editor with our
 * app embed switched on (Shopify's `activateAppId` = `<api key>/<embed block handle>`).
 */
export const THEME_EXTENSION_EMBED = "comeback-launcher";

export function appEmbedDeepLink(shop: string, apiKey: string): string {
  const params = new URLSearchParams({ context: "apps", activateAppId: `${apiKey}/${THEME_EXTENSION_EMBED}` });
  return `https://${shop}/admin/themes/current/editor?${params}`;
}
