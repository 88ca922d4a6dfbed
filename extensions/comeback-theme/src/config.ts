/**
 * What the Liquid blocks hand to the script: rendered once into a JSON <script> tag, so
 * the launcher paints from metafields with no request and carries no strings of its own.
 */
export interface WidgetConfig {
  /** The App Proxy path on the storefront, e.g. "/apps/comeback" (merchants can change it). */
  proxy: string;
  /** URL of the panel script, fetched on first interaction. */
  panel: string;
  locale: string;
  currency: string;
  loggedIn: boolean;
  /** From the customer's app-owned metafield; null for guests and before the first sync. */
  balance: number | null;
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

/** "{count} points" in the shopper's language, with the language's plural rules. */
export function plural(config: WidgetConfig, stem: string, count: number): string {
  const category = new Intl.PluralRules(config.locale).select(count);
  const template = config.t[`${stem}_${category}`] ?? config.t[`${stem}_other`] ?? "{count}";
  return template.replace("{count}", new Intl.NumberFormat(numberLocale(config)).format(count));
}

export function text(config: WidgetConfig, key: string, values: Record<string, string | number> = {}): string {
  return (config.t[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
}
