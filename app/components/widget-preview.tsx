import { useEffect, useState } from "react";
import { BlockStack, Button, ButtonGroup, InlineStack, Text } from "@shopify/polaris";
import type { Language } from "../domain/localized";
import type { WidgetSettings } from "../domain/widget";
import { useLocale, useT } from "./locale";
import type { PreviewInput } from "./widget-preview-render";

/**
 * The storefront widget as a guest sees it, drawn by the theme extension's own Liquid
 * (./widget-preview-render.ts) in an iframe of its own: the admin's styles cannot reach it,
 * no script runs in it (its content security policy), and its fixed-position launcher and
 * panel sit in the frame as on a storefront page.
 * It follows `display` as the merchant types; the language starts as the admin's.
 */
export function WidgetPreview({
  display,
  languages,
  defaultLanguage,
  currency,
}: {
  display: WidgetSettings;
  languages: Language[];
  defaultLanguage: Language;
  currency: string;
}) {
  const t = useT();
  const [locale, setLocale] = useState<Language>(useLocale());
  const [html, setHtml] = useState<string | null>(null);
  // The settings by value: a new object with the same values draws nothing new.
  const key = JSON.stringify({ display, languages, defaultLanguage, currency, locale });
  useEffect(() => {
    let current = true;
    const input = JSON.parse(key) as PreviewInput;
    import("./widget-preview-render")
      .then(({ renderWidgetPreview }) => renderWidgetPreview(input))
      .then((rendered) => current && setHtml(rendered))
      .catch(() => current && setHtml(null));
    return () => {
      current = false;
    };
  }, [key]);
  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <Text as="h2" variant="headingMd">
          {t("branding.preview.heading")}
        </Text>
        <div role="group" aria-label={t("branding.preview.language")}>
          <ButtonGroup variant="segmented">
            {(["en", "ru"] as const).map((language) => (
              <Button key={language} size="slim" pressed={locale === language} onClick={() => setLocale(language)}>
                {language === "ru" ? "Русский" : "English"}
              </Button>
            ))}
          </ButtonGroup>
        </div>
      </InlineStack>
      <iframe
        title={t("branding.preview.frame")}
        srcDoc={html ?? ""}
        data-ready={html ? "true" : undefined}
        style={{
          display: "block",
          width: "100%",
          height: 520,
          border: "1px solid var(--p-color-border)",
          borderRadius: 8,
          background: "#f4f4f5",
        }}
      />
      <Text as="p" tone="subdued">
        {t("branding.preview.help")}
      </Text>
    </BlockStack>
  );
}
