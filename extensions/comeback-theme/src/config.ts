/**
 * What the Liquid blocks hand to the script: rendered once into a JSON <script> tag, so
 * the launcher paints from metafields with no request and carries no strings of its own.
 */
export interface WidgetConfig {
  /** The App Proxy path on the storefront, e.g. "/apps/comeback" (merchants can change it). */
  proxy: string;
  /** URLs of the panel's script and stylesheet, fetched on first interaction. */
  panel: string;
  css: string;
  /** The storefront's locale (numbers, dates) and the program language of merchant texts. */
  locale: string;
  lang: string;
  /** The points' name in `lang`, by plural category ({ one: "star", other: "stars" }). */
  names: Record<string, string> | null;
  currency: string;
  loggedIn: boolean;
  customer: number | null;
  /** From the customer's app-owned metafields; null for guests and before the first sync. */
  balance: number | null;
  /** The member version those metafields were written at. */
  version: number;
  login: string;
  register: string;
  sections: { rewards: boolean; earn: boolean; referral: boolean; history: boolean };
  t: Record<string, string>;
}

export function readConfig(doc: Document): WidgetConfig | null {
  const node = doc.getElementById("comeback-config");
  if (!node?.textContent) return null;
  try {
    return JSON.parse(node.textContent) as WidgetConfig;
  } catch {
    return null;
  }
}

/**
 * The widget speaks English and Russian; a store in another language gets the English
 * texts, so its numbers follow English too. The Liquid snippet `comeback-number` applies
 * the same rule to the first paint, so a figure never changes shape when the script runs.
 */
export function numberLocale(config: WidgetConfig): "en" | "ru" {
  return /^ru(-|$)/i.test(config.locale) ? "ru" : "en";
}

/** "1,250 stars" in the program's name for points, with the language's plural rules (as comeback-points.liquid). */
export function plural(config: WidgetConfig, count: number): string {
  const category = new Intl.PluralRules(config.lang).select(count);
  const names = config.names ?? {};
  const word = names[category] ?? names.other ?? (category === "one" ? config.t.point_one : config.t.point_other) ?? "";
  return `${new Intl.NumberFormat(numberLocale(config)).format(count)}\u00a0${word}`;
}

export function text(config: WidgetConfig, key: string, values: Record<string, string | number> = {}): string {
  return (config.t[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
}

/** The freshest balance this browser has seen for the customer (the panel stores it). */
export const FRESH_KEY = "comeback:member";
