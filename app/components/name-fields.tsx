import { FormLayout } from "@shopify/polaris";
import { Field } from "./fields";
import { useLocale, useT } from "./locale";

const LANGUAGE_NAMES: Record<string, { en: string; ru: string }> = {
  en: { en: "English", ru: "английский" },
  ru: { en: "Russian", ru: "русский" },
};

/** A field's label with the language it is for, in the admin's language: "Name (Russian)". */
export function labelIn(label: string, language: string, locale: "en" | "ru"): string {
  return `${label} (${LANGUAGE_NAMES[language]?.[locale] ?? language})`;
}

/**
 * A name the shopper reads, in each of the program's languages side by side: the shop's
 * default language in `name`, the others in `name_<language>` (left empty, the default
 * language's text is shown).
 */
export function NameFields({
  label,
  name,
  names,
  languages,
  defaultLanguage,
  errors,
}: {
  label: string;
  name?: string | null;
  names?: Partial<Record<string, string>>;
  languages: string[];
  defaultLanguage: string;
  errors?: Record<string, string>;
}) {
  const t = useT();
  const locale = useLocale();
  const others = languages.filter((language) => language !== defaultLanguage);
  const inLanguage = (language: string) => labelIn(label, language, locale);
  return (
    <FormLayout.Group>
      <Field
        name="name"
        label={others.length ? inLanguage(defaultLanguage) : label}
        defaultValue={name}
        errors={errors}
      />
      {others.map((language) => (
        <Field
          key={language}
          name={`name_${language}`}
          label={inLanguage(language)}
          helpText={t("names.fallback")}
          defaultValue={names?.[language]}
          errors={errors}
        />
      ))}
    </FormLayout.Group>
  );
}
