/**
 * Is our app embed switched on in a theme? Read from the theme's config/settings_data.json.
 *
 * The theme editor records each app embed a merchant has touched under `current.blocks`,
 * keyed by a random id, as `{ "type": "shopify://apps/<app handle>/blocks/<embed handle>/<uuid>",
 * "disabled": <boolean>, "settings": {…} }` (shopify.dev "Configure theme app extensions",
 * "Detecting app blocks and app embed blocks"; a live store's file as Shopify writes it:
 * Shopify/dawn config/settings_data.json at 002187f, with `\/` escaped slashes). The rules:
 *
 * - on: an entry of that type for our embed handle whose `disabled` is not true;
 * - off: no such entry (never switched on), or every such entry has `disabled: true`
 *   (switched off again: the theme editor keeps the entry);
 * - unreadable: the file is not JSON, or not the shape above (we cannot tell).
 *
 * Shopify starts the file with a `/* … *\/` header ("IMPORTANT: The contents of this file
 * are auto-generated…") that JSON.parse refuses, so a leading block comment is dropped
 * first. Only a leading one: the JSON's own strings may hold "/*".
 */

export type AppEmbedState = "on" | "off" | "unreadable";

const LEADING_COMMENT = /^\uFEFF?\s*\/\*[\s\S]*?\*\/\s*/;

/** The file's JSON without Shopify's header comment; null when it is not JSON. */
function parseSettings(content: string): unknown {
  try {
    return JSON.parse(content.replace(LEADING_COMMENT, ""));
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `shopify://apps/<any app handle>/blocks/<embedHandle>/<extension uuid>`. */
function isEmbedType(type: unknown, embedHandle: string): boolean {
  if (typeof type !== "string") return false;
  const parts = type.split("/");
  // ["shopify:", "", "apps", app, "blocks", handle, uuid]
  return (
    parts.length === 7 &&
    parts[0] === "shopify:" &&
    parts[1] === "" &&
    parts[2] === "apps" &&
    parts[3] !== "" &&
    parts[4] === "blocks" &&
    parts[5] === embedHandle &&
    parts[6] !== ""
  );
}

export function appEmbedState(settingsData: string, embedHandle: string): AppEmbedState {
  const settings = parseSettings(settingsData);
  if (!isRecord(settings)) return "unreadable";
  // Older themes name a preset here ("current": "Default") until the editor first saves:
  // nothing has been switched on in such a theme yet.
  if (typeof settings.current === "string") return "off";
  if (!isRecord(settings.current)) return "unreadable";
  const blocks = settings.current.blocks;
  // A theme nobody has added an app embed to has no `blocks` at all.
  if (blocks === undefined) return "off";
  if (!isRecord(blocks)) return "unreadable";
  const ours = Object.values(blocks).filter((block) => isRecord(block) && isEmbedType(block.type, embedHandle));
  return ours.some((block) => (block as Record<string, unknown>).disabled !== true) ? "on" : "off";
}
