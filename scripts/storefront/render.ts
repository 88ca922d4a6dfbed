import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Liquid, type TagToken, type Template, type TopLevelToken } from "liquidjs";

/**
 * Renders the theme app extension's blocks outside Shopify with liquidjs, providing the
 * objects and filters the blocks use the way Shopify's storefront does: `customer` with
 * its app-owned metafields, `app.metafields`, `product`, `shop`, `request`, `routes`, and
 * the `t`, `money`, `asset_url`, `stylesheet_tag` filters. Used by the extension's tests
 * and by the demo's storefront page.
 */

export const EXTENSION_DIR = resolve("extensions/comeback-theme");
export type BlockName = "comeback-launcher" | "account-rewards" | "product-points" | "cart-rewards";
export type StorefrontLocale = "en" | "ru";

export interface StorefrontCustomer {
  id: number;
  firstName: string;
  /** The values the app syncs to the customer's `$app:loyalty` metafields. */
  loyalty: { balance?: number; tier?: string; progress?: Record<string, unknown> } | null;
}

export interface StorefrontContext {
  locale: StorefrontLocale;
  shop: { name: string; currency: string };
  /** The app-data metafield `loyalty.program` (the app's ProgramView JSON), or null before the first sync. */
  program: Record<string, unknown> | null;
  customer: StorefrontCustomer | null;
  product?: { id: number; title: string; price: number; collections?: number[] };
  assetUrl?: (file: string) => string;
  /** Overrides of the block's theme-editor settings (defaults come from its schema). */
  settings?: Record<string, unknown>;
  /** The theme's own settings (Liquid's global `settings`), e.g. Dawn's `cart_type`. */
  themeSettings?: Record<string, unknown>;
}

type Messages = Record<string, unknown>;

function readJson(path: string): Messages {
  return JSON.parse(readFileSync(path, "utf8")) as Messages;
}

const locales: Record<StorefrontLocale, Messages> = {
  en: readJson(join(EXTENSION_DIR, "locales/en.default.json")),
  ru: readJson(join(EXTENSION_DIR, "locales/ru.json")),
};

function lookup(messages: Messages, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Messages)[part] : undefined),
      messages,
    );
}

/** Shopify's `t`: the locale's text (the default locale's as fallback), plural by `count`, `{{ name }}` filled in. */
export function translate(locale: StorefrontLocale, key: string, args: Record<string, unknown> = {}): string {
  let value = lookup(locales[locale], key) ?? lookup(locales.en, key);
  if (value && typeof value === "object" && "count" in args) {
    const forms = value as Record<string, string>;
    value = forms[new Intl.PluralRules(locale).select(Number(args.count))] ?? forms.other;
  }
  if (typeof value !== "string") return `translation missing: ${locale}.${key}`;
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(args[name] ?? ""));
}

/** The `{% schema %}` of a block, as Shopify reads it. */
export function blockSchema(name: BlockName): {
  name: string;
  target: string;
  settings: Array<{ id: string; default?: unknown }>;
} {
  const source = readFileSync(join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const match = /\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(source);
  if (!match) throw new Error(`${name}: no schema`);
  return JSON.parse(match[1]!) as ReturnType<typeof blockSchema>;
}

/**
 * One engine per language and currency (its filters format for them), keeping what it
 * parsed: Shopify serves Liquid pages from its own cache, so the local storefront should
 * not spend its time parsing the same blocks on every request (the storefront bench
 * compares pages with and without the blocks, and parsing them would be counted as theirs).
 */
const engines = new Map<string, { liquid: Liquid; parsed: Map<string, Template[]> }>();

function cachedEngine(context: StorefrontContext) {
  if (context.assetUrl) return { liquid: engine(context), parsed: new Map<string, Template[]>() };
  const key = `${context.locale}|${context.shop.currency}`;
  let entry = engines.get(key);
  if (!entry) engines.set(key, (entry = { liquid: engine(context), parsed: new Map() }));
  return entry;
}

function engine(context: StorefrontContext): Liquid {
  const liquid = new Liquid({
    root: [join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    // Snippets are parsed once per engine; their files change only between runs.
    cache: true,
  });
  const currencyFormat = new Intl.NumberFormat(context.locale, { style: "currency", currency: context.shop.currency });
  const exponent = currencyFormat.resolvedOptions().maximumFractionDigits ?? 2;
  liquid.registerFilter("t", (key: string, ...args: Array<[string, unknown]>) =>
    translate(context.locale, key, Object.fromEntries(args)),
  );
  liquid.registerFilter("money", (cents: unknown) => currencyFormat.format(Number(cents) / 10 ** exponent));
  liquid.registerFilter("asset_url", (file: string) =>
    (context.assetUrl ?? ((f: string) => `/extension-assets/${f}`))(file),
  );
  liquid.registerFilter(
    "stylesheet_tag",
    (url: string) => `<link href="${url}" rel="stylesheet" type="text/css" media="all" />`,
  );
  // The schema is read by the theme editor, never rendered.
  liquid.registerTag("schema", {
    parse(_token: TagToken, remaining: TopLevelToken[]) {
      while (remaining.length) {
        const next = remaining.shift()!;
        if ("name" in next && next.name === "endschema") return;
      }
      throw new Error("schema tag not closed");
    },
    render() {
      return "";
    },
  });
  return liquid;
}

/** Shopify's metafield objects: `.value` holds the typed value. */
function metafields(values: Record<string, unknown>): Record<string, { value: unknown }> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, { value: v }]),
  );
}

export async function renderBlock(name: BlockName, context: StorefrontContext): Promise<string> {
  const source = readFileSync(join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const defaults = Object.fromEntries(
    blockSchema(name)
      .settings.filter((s) => "default" in s)
      .map((s) => [s.id, s.default]),
  );
  const customer = context.customer
    ? {
        id: context.customer.id,
        first_name: context.customer.firstName,
        metafields: { "$app:loyalty": context.customer.loyalty ? metafields(context.customer.loyalty) : {} },
      }
    : null;
  const price = context.product?.price ?? 0;
  // Shopify's global objects are visible in snippets too (`render` isolates only the
  // caller's variables), which liquidjs models as globals.
  const globals = {
    app: { metafields: { loyalty: context.program ? metafields({ program: context.program }) : {} } },
    customer,
    shop: { name: context.shop.name, currency: context.shop.currency },
    cart: { currency: { iso_code: context.shop.currency } },
    request: { locale: { iso_code: context.locale } },
    routes: { account_login_url: "/account/login", account_register_url: "/account/register" },
    settings: context.themeSettings ?? {},
    product: context.product
      ? {
          id: context.product.id,
          title: context.product.title,
          price,
          selected_or_first_available_variant: { price },
          collections: (context.product.collections ?? []).map((id) => ({ id })),
        }
      : null,
  };
  const { liquid, parsed } = cachedEngine(context);
  // Keyed by the source itself, so an edited block is parsed again.
  let templates = parsed.get(source);
  if (!templates) parsed.set(source, (templates = liquid.parse(source)));
  return liquid.render(
    templates,
    { block: { settings: { ...defaults, ...context.settings }, shopify_attributes: "" } },
    { globals },
  );
}
