import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Liquid, Template } from "liquidjs";
import {
  renderThemeBlock,
  schemaOf,
  themeEngine,
  themeTranslate,
  type BlockSchema,
  type ThemeContext,
  type ThemeCustomer,
  type ThemeFiles,
  type ThemeLocale,
} from "../../app/storefront/theme-liquid";

/**
 * Renders the theme app extension's blocks outside Shopify with the extension's files
 * from disk, through the engine the admin's Branding preview uses too
 * (app/storefront/theme-liquid.ts: Shopify's objects and filters). Used by the
 * extension's tests and by the demo's storefront page.
 */

export const EXTENSION_DIR = resolve("extensions/comeback-theme");
export type BlockName = "comeback-launcher" | "account-rewards" | "product-points" | "cart-rewards";
export type StorefrontLocale = ThemeLocale;
export type StorefrontCustomer = ThemeCustomer;

export interface StorefrontContext extends ThemeContext {
  assetUrl?: (file: string) => string;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

const files: ThemeFiles = {
  snippets: Object.fromEntries(
    readdirSync(join(EXTENSION_DIR, "snippets"))
      .filter((file) => file.endsWith(".liquid"))
      .map((file) => [file, readFileSync(join(EXTENSION_DIR, "snippets", file), "utf8")]),
  ),
  locales: {
    en: readJson(join(EXTENSION_DIR, "locales/en.default.json")),
    ru: readJson(join(EXTENSION_DIR, "locales/ru.json")),
  },
};

/** Shopify's `t`: the locale's text (the default locale's as fallback), plural by `count`, `{{ name }}` filled in. */
export function translate(locale: StorefrontLocale, key: string, args: Record<string, unknown> = {}): string {
  return themeTranslate(files.locales, locale, key, args);
}

/** The `{% schema %}` of a block, as Shopify reads it. */
export function blockSchema(name: BlockName): BlockSchema {
  return schemaOf(readFileSync(join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8"), name);
}

/**
 * One engine per language and currency (its filters format for them), keeping what it
 * parsed: Shopify serves Liquid pages from its own cache, so the local storefront should
 * not spend its time parsing the same blocks on every request (the storefront bench
 * compares pages with and without the blocks, and parsing them would be counted as theirs).
 */
const engines = new Map<string, { liquid: Liquid; parsed: Map<string, Template[]> }>();
const defaultAssetUrl = (file: string) => `/extension-assets/${file}`;

function cachedEngine(context: StorefrontContext) {
  const engine = (assetUrl: (file: string) => string) =>
    themeEngine(files, { locale: context.locale, currency: context.shop.currency, assetUrl });
  if (context.assetUrl) return { liquid: engine(context.assetUrl), parsed: new Map<string, Template[]>() };
  const key = `${context.locale}|${context.shop.currency}`;
  let entry = engines.get(key);
  if (!entry) engines.set(key, (entry = { liquid: engine(defaultAssetUrl), parsed: new Map() }));
  return entry;
}

export async function renderBlock(name: BlockName, context: StorefrontContext): Promise<string> {
  const source = readFileSync(join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const { liquid, parsed } = cachedEngine(context);
  // Keyed by the source itself, so an edited block is parsed again.
  let templates = parsed.get(source);
  if (!templates) parsed.set(source, (templates = liquid.parse(source)));
  return renderThemeBlock(liquid, { templates, schema: schemaOf(source, name) }, context);
}
