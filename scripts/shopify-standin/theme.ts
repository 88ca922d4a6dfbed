/**
 * The stand-in store's live theme, as the Admin API's `themes` query returns it, and its
 * config/settings_data.json in the form Shopify writes it:
 *
 * - the auto-generated header comment the theme editor puts on top (Shopify's own JSON
 *   theme files carry it, "IMPORTANT: The contents of this file are auto-generated…");
 * - slashes escaped as `\/`, and app embeds under `current.blocks`, keyed by a random
 *   numeric id, each `{ type: "shopify://apps/<app>/blocks/<handle>/<uuid>", disabled,
 *   settings }` (a live store's file: Shopify/dawn config/settings_data.json at 002187f;
 *   shopify.dev "Configure theme app extensions" → "Detecting app blocks and app embed
 *   blocks").
 *
 * Another app's embed is always there, so a check that takes any app's block for ours fails.
 */

/** Our embed: never switched on (no entry), switched on, or switched on and then off again. */
export type AppEmbedSetting = "enabled" | "disabled" | "absent";

/** queries/themes → OnlineStoreTheme { id name role } (role is a ThemeRole: MAIN, UNPUBLISHED…). */
export const STANDIN_MAIN_THEME = { id: "gid://shopify/OnlineStoreTheme/140149252153", name: "Dawn", role: "MAIN" };

const HEADER = [
  "/*",
  " * ------------------------------------------------------------",
  " * IMPORTANT: The contents of this file are auto-generated.",
  " *",
  " * This file may be updated by the Shopify admin theme editor",
  " * or related systems. Please exercise caution as any changes",
  " * made to this file may be overwritten.",
  " * ------------------------------------------------------------",
  " */",
  "",
].join("\n");

export function themeSettingsData(
  embed: AppEmbedSetting,
  options: { appHandle?: string; embedHandle?: string } = {},
): string {
  const blocks: Record<string, unknown> = {
    // Someone else's app embed, switched on.
    "4471203652108838101": {
      type: "shopify://apps/acme-reviews/blocks/reviews-embed/7c0e2b52-3f0a-4d8e-9a61-2b1f5c9d4e10",
      disabled: false,
      settings: {},
    },
  };
  if (embed !== "absent") {
    blocks["13281659432157724811"] = {
      type: `shopify://apps/${options.appHandle ?? "comeback"}/blocks/${options.embedHandle ?? "comeback-launcher"}/0195c7d2-8e4b-7a3c-b1f0-5d2e9c84a6f1`,
      disabled: embed === "disabled",
      settings: { accent: "#1f6f5c", position: "bottom_right" },
    };
  }
  const settings = {
    current: {
      logo_width: 90,
      type_header_font: "assistant_n4",
      page_width: 1200,
      sections: {
        header: { type: "header", settings: { logo_position: "middle-left", menu: "main-menu" } },
        footer: { type: "footer", blocks: {}, block_order: [], settings: { show_social: true } },
      },
      content_for_index: [],
      blocks,
    },
    presets: { Default: { logo_width: 90, type_header_font: "assistant_n4", page_width: 1200 } },
  };
  return HEADER + JSON.stringify(settings, null, 2).replace(/\//g, "\\/");
}
