import { Liquid, type TagToken, type Template, type TopLevelToken } from "liquidjs";

/**
 * The theme app extension's Liquid rendered outside Shopify with liquidjs, with the
 * objects and filters the blocks use provided the way Shopify's storefront does:
 * `customer` with its app-owned metafields, `app.metafields`, `product`, `shop`,
 * `request`, `routes`, and the `t`, `money`, `asset_url`, `stylesheet_tag` filters.
 *
 * It takes the extension's files as strings, so it runs anywhere: the demo storefront and
 * the extension's tests read them from disk (scripts/storefront/render.ts), the admin's
 * Branding preview has them bundled. Both render the same blocks with the same engine.
 */

export type ThemeLocale = "en" | "ru";
type Messages = Record<string, unknown>;

export interface ThemeFiles {
  /** The extension's snippets by file name ("comeback-config.liquid" → its source). */
  snippets: Record<string, string>;
  /** locales/en.default.json and locales/ru.json. */
  locales: Record<ThemeLocale, Messages>;
}

export interface ThemeCustomer {
  id: number;
  firstName: string;
  /** The values the app syncs to the customer's `$app:loyalty` metafields. */
  loyalty: { balance?: number; tier?: string; progress?: Record<string, unknown> } | null;
}

export interface ThemeContext {
  locale: ThemeLocale;
  shop: { name: string; currency: string };
  /** The app-data metafield `loyalty.program` (the app's ProgramView JSON), or null before the first sync. */
  program: Record<string, unknown> | null;
  customer: ThemeCustomer | null;
  product?: { id: number; title: string; price: number; collections?: number[] };
  /** Overrides of the block's theme-editor settings (defaults come from its schema). */
  settings?: Record<string, unknown>;
  /** The theme's own settings (Liquid's global `settings`), e.g. Dawn's `cart_type`. */
  themeSettings?: Record<string, unknown>;
}

function lookup(messages: Messages, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Messages)[part] : undefined),
      messages,
    );
}

/** Shopify's `t`: the locale's text (the default locale's as fallback), plural by `count`, `{{ name }}` filled in. */
export function themeTranslate(
  locales: ThemeFiles["locales"],
  locale: ThemeLocale,
  key: string,
  args: Record<string, unknown> = {},
): string {
  let value = lookup(locales[locale], key) ?? lookup(locales.en, key);
  if (value && typeof value === "object" && "count" in args) {
    const forms = value as Record<string, string>;
    value = forms[new Intl.PluralRules(locale).select(Number(args.count))] ?? forms.other;
  }
  if (typeof value !== "string") return `translation missing: ${locale}.${key}`;
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(args[name] ?? ""));
}

export interface BlockSchema {
  name: string;
  target: string;
  settings: Array<{ id: string; default?: unknown }>;
}

/** The `{% schema %}` of a block's source, as Shopify reads it. */
export function schemaOf(source: string, name = "block"): BlockSchema {
  const match = /\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(source);
  if (!match) throw new Error(`${name}: no schema`);
  return JSON.parse(match[1]!) as BlockSchema;
}

/** An engine for one language and currency (its filters format for them). */
export function themeEngine(
  files: ThemeFiles,
  options: { locale: ThemeLocale; currency: string; assetUrl: (file: string) => string },
): Liquid {
  const liquid = new Liquid({
    templates: files.snippets,
    extname: ".liquid",
    strictFilters: true,
    // Snippets are parsed once per engine; their sources do not change under it.
    cache: true,
  });
  const currencyFormat = new Intl.NumberFormat(options.locale, { style: "currency", currency: options.currency });
  const exponent = currencyFormat.resolvedOptions().maximumFractionDigits ?? 2;
  liquid.registerFilter("t", (key: string, ...args: Array<[string, unknown]>) =>
    themeTranslate(files.locales, options.locale, key, Object.fromEntries(args)),
  );
  liquid.registerFilter("money", (cents: unknown) => currencyFormat.format(Number(cents) / 10 ** exponent));
  liquid.registerFilter("asset_url", (file: string) => options.assetUrl(file));
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

/**
 * Renders a block (parsed from its source by `liquid.parse`) as the storefront would:
 * its schema's defaults under the context's settings, and Shopify's global objects.
 */
export async function renderThemeBlock(
  liquid: Liquid,
  block: { templates: Template[]; schema: BlockSchema },
  context: ThemeContext,
): Promise<string> {
  const defaults = Object.fromEntries(
    block.schema.settings.filter((s) => "default" in s).map((s) => [s.id, s.default]),
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
  return liquid.render(
    block.templates,
    { block: { settings: { ...defaults, ...context.settings }, shopify_attributes: "" } },
    { globals },
  );
}
