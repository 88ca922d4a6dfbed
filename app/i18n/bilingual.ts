/**
 * Texts kept as `{ en, ru }` per key (the email's frame, the storefront panel, the cart
 * block): one way to pick a language's text and fill its `{name}` placeholders.
 */
export type Language = "en" | "ru";

export function bilingual<K extends string>(texts: Record<K, Record<Language, string>>) {
  return (key: K, language: Language, params: Record<string, string | number> = {}): string =>
    texts[key][language].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}
