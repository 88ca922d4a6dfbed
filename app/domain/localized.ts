/**
 * Texts the merchant writes in several languages: the points' name (with each language's
 * plural forms), reward, tier and campaign names. English and Russian are the program's
 * languages; a storefront in another language is served the shop's default language.
 */

export const LANGUAGES = ["en", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

/** CLDR plural categories a language uses for whole numbers. */
export const PLURAL_CATEGORIES = {
  en: ["one", "other"],
  ru: ["one", "few", "many"],
} as const satisfies Record<Language, readonly Intl.LDMLPluralRule[]>;

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>>;
export type PointsName = Partial<Record<Language, PluralForms>>;
/** A name in languages other than the shop's default: { ru: "Золото" }. */
export type Translations = Partial<Record<Language, string>>;

export const BUILT_IN_POINTS_NAME: Record<Language, Required<Pick<PluralForms, "one" | "other">> & PluralForms> = {
  en: { one: "point", other: "points" },
  ru: { one: "балл", few: "балла", many: "баллов", other: "балла" },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** "ru-RU", "ru", "RU" → "ru"; anything else → null. */
export function languageOf(tag: string | null | undefined): Language | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : null;
}

/**
 * The language to show merchant-written texts in: the reader's, when the program speaks
 * it, otherwise the shop's default.
 */
export function programLanguage(
  tag: string | null | undefined,
  languages: readonly string[],
  defaultLanguage: string,
): Language {
  const wanted = languageOf(tag);
  if (wanted && languages.includes(wanted)) return wanted;
  return languageOf(defaultLanguage) ?? "en";
}

export function pluralCategory(language: Language, count: number): Intl.LDMLPluralRule {
  return new Intl.PluralRules(language).select(count);
}

/** The points' name forms for a language: the merchant's, completed by the built-in ones. */
export function pointsNameForms(name: unknown, language: Language): PluralForms {
  const given = readPointsName(name)[language] ?? {};
  return { ...BUILT_IN_POINTS_NAME[language], ...given };
}

/** The word for `count` points: "1 star", "5 звёзд". */
export function pointsWord(name: unknown, language: Language, count: number): string {
  const forms = pointsNameForms(name, language);
  return forms[pluralCategory(language, count)] ?? forms.other ?? forms.one ?? "";
}

/** The stored JSON, keeping only known languages and plural categories with text. */
export function readPointsName(value: unknown): PointsName {
  const result: PointsName = {};
  if (!value || typeof value !== "object") return result;
  for (const language of LANGUAGES) {
    const forms = (value as Record<string, unknown>)[language];
    if (!forms || typeof forms !== "object") continue;
    const kept: PluralForms = {};
    for (const category of ["zero", "one", "two", "few", "many", "other"] as const) {
      const text = (forms as Record<string, unknown>)[category];
      if (typeof text === "string" && text.trim()) kept[category] = text.trim();
    }
    if (Object.keys(kept).length) result[language] = kept;
  }
  return result;
}

export function readTranslations(value: unknown): Translations {
  const result: Translations = {};
  if (!value || typeof value !== "object") return result;
  for (const language of LANGUAGES) {
    const text = (value as Record<string, unknown>)[language];
    if (typeof text === "string" && text.trim()) result[language] = text.trim();
  }
  return result;
}

/** A merchant-written name in `language`, or the default-language name it was given in. */
export function localizedName(name: string, translations: unknown, language: Language): string {
  return readTranslations(translations)[language] ?? name;
}

/** Every program language's name, for the storefront to pick from: { en: "Gold", ru: "Золото" }. */
export function namesByLanguage(
  name: string,
  translations: unknown,
  languages: readonly string[],
): Partial<Record<Language, string>> {
  const result: Partial<Record<Language, string>> = {};
  for (const language of LANGUAGES) {
    if (languages.includes(language)) result[language] = localizedName(name, translations, language);
  }
  return result;
}
