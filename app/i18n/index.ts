import en from "./en";
import ru from "./ru";

/**
 * Merchant- and shopper-facing text. English and Russian are first-class; every key
 * exists in both (a test checks it). Placeholders are {name}; plural forms use
 * Intl.PluralRules categories ("one", "few", "many", "other").
 */
export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>>;
export type Messages = Record<MessageKey, string | PluralForms>;

const asMessages = (messages: Record<string, string | PluralForms>) => messages as Messages;

export const dictionaries: Record<Locale, Messages> = { en: asMessages(en), ru: asMessages(ru) };

/** Picks the supported locale for a tag such as "ru-RU", "en", or null. */
export function resolveLocale(tag: string | null | undefined, fallback: Locale = "en"): Locale {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base ?? "") ? (base as Locale) : fallback;
}

export function translate(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const entry = dictionaries[locale][key] ?? dictionaries.en[key];
  let text: string;
  if (typeof entry === "string") {
    text = entry;
  } else {
    const count = typeof vars.count === "number" ? vars.count : 0;
    const category = new Intl.PluralRules(locale).select(count);
    text = entry[category] ?? entry.other ?? "";
  }
  // Numbers take the reader's separators: "110,556" in English, "110 556" in Russian.
  const format = (value: string | number) => (typeof value === "number" ? numberFormat(locale).format(value) : value);
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? format(vars[name]!) : match));
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  return format;
}

export function translator(locale: Locale) {
  return (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
}

/** Whether the admin's texts have this key (stored data names fields the texts may not). */
export function hasMessage(key: string): key is MessageKey {
  return key in dictionaries.en;
}
