import { describe, expect, it } from "vitest";
import { appEmbedState } from "../../app/domain/theme-embed";
import { themeSettingsData } from "../../scripts/shopify-standin/theme";

/**
 * Reading config/settings_data.json for our app embed, on files shaped as Shopify writes
 * them: the auto-generated header comment, slashes escaped as `\/`, embeds under
 * `current.blocks` as `shopify://apps/<app>/blocks/<handle>/<uuid>` with `disabled`.
 */

const HANDLE = "comeback-launcher";
const OURS = "shopify:\\/\\/apps\\/comeback\\/blocks\\/comeback-launcher\\/0195c7d2-8e4b-7a3c-b1f0-5d2e9c84a6f1";
const OTHER = "shopify:\\/\\/apps\\/acme-reviews\\/blocks\\/reviews-embed\\/7c0e2b52-3f0a-4d8e-9a61-2b1f5c9d4e10";

/** A settings_data.json body with these `current.blocks` entries, written as Shopify writes them. */
function file(blocks: string, header = true): string {
  const json = `{
  "current": {
    "logo_width": 90,
    "sections": { "header": { "type": "header", "settings": { "menu": "main-menu" } } },
    "blocks": {${blocks}}
  },
  "presets": { "Default": { "logo_width": 90 } }
}`;
  return header
    ? `/*
 * ------------------------------------------------------------
 * IMPORTANT: The contents of this file are auto-generated.
 *
 * This file may be updated by the Shopify admin theme editor
 * or related systems. Please exercise caution as any changes
 * made to this file may be overwritten.
 * ------------------------------------------------------------
 */
${json}`
    : json;
}
const block = (id: string, type: string, disabled?: boolean) =>
  `"${id}": { "type": "${type}",${disabled === undefined ? "" : ` "disabled": ${disabled},`} "settings": {} }`;

describe("is the Comeback launcher on in the theme", () => {
  it.each([
    ["switched on (disabled: false), under the header comment", file(block("1328", OURS, false)), "on"],
    ["switched on, with no disabled field at all", file(block("1328", OURS)), "on"],
    ["switched on, in a file without the header comment", file(block("1328", OURS, false), false), "on"],
    [
      "switched on next to another app's embed",
      file(`${block("4471", OTHER, false)}, ${block("1328", OURS, false)}`),
      "on",
    ],
    [
      "switched on again after a second entry was turned off",
      file(`${block("1", OURS, true)}, ${block("2", OURS, false)}`),
      "on",
    ],
    ["switched off again (the editor keeps the entry with disabled: true)", file(block("1328", OURS, true)), "off"],
    ["never switched on: only another app's embed", file(block("4471", OTHER, false)), "off"],
    ["never switched on: no app embed at all", file(""), "off"],
  ] as const)("%s → %s", (_case, content, expected) => {
    expect(appEmbedState(content, HANDLE)).toBe(expected);
  });

  it("does not take another block of our app, or our handle under another path, for the launcher", () => {
    const ourOtherBlock = "shopify:\\/\\/apps\\/comeback\\/blocks\\/product-points\\/0195c7d2";
    expect(appEmbedState(file(block("1", ourOtherBlock, false)), HANDLE)).toBe("off");
    expect(appEmbedState(file(block("1", "comeback-launcher", false)), HANDLE)).toBe("off");
    expect(
      appEmbedState(file(block("1", "shopify:\\/\\/apps\\/x\\/blocks\\/comeback-launcher-old\\/1", false)), HANDLE),
    ).toBe("off");
  });

  it("keeps a '/*' inside the JSON's own strings (only a leading comment is dropped)", () => {
    const content = file(block("1328", OURS, false)).replace('"main-menu"', '"https:\\/\\/x.test\\/*"');
    expect(appEmbedState(content, HANDLE)).toBe("on");
  });

  it("cannot tell from a file that is not JSON, or not a theme's settings", () => {
    expect(appEmbedState("", HANDLE)).toBe("unreadable");
    expect(appEmbedState('/* header */ { "current": {', HANDLE)).toBe("unreadable");
    expect(appEmbedState('/* an unfinished header { "current": {} }', HANDLE)).toBe("unreadable");
    expect(appEmbedState("[]", HANDLE)).toBe("unreadable");
    expect(appEmbedState('{ "presets": {} }', HANDLE)).toBe("unreadable");
    expect(appEmbedState('{ "current": { "blocks": [] } }', HANDLE)).toBe("unreadable");
  });

  it("reads an older theme whose current settings are a preset's name as nothing switched on", () => {
    expect(appEmbedState('{ "current": "Default", "presets": { "Default": {} } }', HANDLE)).toBe("off");
  });

  it("agrees with the Admin API stand-in's file in each of its states", () => {
    expect(appEmbedState(themeSettingsData("enabled"), HANDLE)).toBe("on");
    expect(appEmbedState(themeSettingsData("disabled"), HANDLE)).toBe("off");
    expect(appEmbedState(themeSettingsData("absent"), HANDLE)).toBe("off");
  });
});
