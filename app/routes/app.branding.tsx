import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "../db.server";
import { LANGUAGES, type Language } from "../domain/localized";
import {
  contrastRatio,
  headerImageUrl,
  isColor,
  LABEL_MAX,
  LAUNCHER_ICONS,
  readWidgetSettings,
  type LauncherIcon,
  type WidgetSettings,
} from "../domain/widget";
import { saveBranding } from "../services/admin/branding";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { requestShopifySync } from "../shopify/customer-sync.server";
import { FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { WidgetPreview } from "../components/widget-preview";
import type { MessageKey } from "../i18n";

/**
 * Branding: how the storefront widget looks (the launcher's colours, position, icon and
 * text; the panel header's colours and image; the panel's sections), beside a preview
 * drawn by the theme extension's own Liquid that follows every keystroke. A save reaches
 * the storefront through the program metafield.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  return {
    widget: readWidgetSettings(shop.settings.widget),
    languages: LANGUAGES.filter((l) => shop.settings.languages.includes(l)),
    defaultLanguage: shop.settings.defaultLanguage as Language,
    currency: shop.currency,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  return adminAction(() => saveBranding(prisma, shop, form, actor), {
    echo: { formId: "branding" },
    // The storefront reads the look from Shopify: push the change now, not at the next sweep.
    onSuccess: () => void requestShopifySync(shop.id),
  });
};

/** What the form holds while the merchant types: strings as typed, checked or not. */
interface Draft {
  accent: string;
  onAccent: string;
  position: "left" | "right";
  icon: LauncherIcon;
  label: Record<Language, string>;
  headerBackground: string;
  headerText: string;
  headerImage: string;
  sections: WidgetSettings["sections"];
}

function draftOf(widget: WidgetSettings): Draft {
  return {
    accent: widget.accent,
    onAccent: widget.onAccent,
    position: widget.position,
    icon: widget.icon,
    label: Object.fromEntries(LANGUAGES.map((l) => [l, widget.label[l] ?? ""])) as Record<Language, string>,
    headerBackground: widget.header.background,
    headerText: widget.header.text,
    headerImage: widget.header.image ?? "",
    sections: widget.sections,
  };
}

/** The draft as the storefront would read it; a half-typed colour keeps the saved one meanwhile. */
function previewOf(draft: Draft, saved: WidgetSettings): WidgetSettings {
  const color = (value: string, fallback: string) => (isColor(value.trim()) ? value.trim().toLowerCase() : fallback);
  return readWidgetSettings({
    accent: color(draft.accent, saved.accent),
    onAccent: color(draft.onAccent, saved.onAccent),
    position: draft.position,
    icon: draft.icon,
    label: draft.label,
    header: {
      background: color(draft.headerBackground, saved.header.background),
      text: color(draft.headerText, saved.header.text),
      image: headerImageUrl(draft.headerImage),
    },
    sections: draft.sections,
  });
}

/** A #rrggbb field with the browser's colour picker as its swatch. */
function ColorField({
  name,
  label,
  value,
  onChange,
  error,
}: {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
}) {
  const t = useT();
  return (
    <TextField
      name={name}
      label={label}
      value={value}
      onChange={onChange}
      autoComplete="off"
      maxLength={7}
      error={error}
      prefix={
        <input
          type="color"
          aria-label={t("branding.colorPicker", { label })}
          value={isColor(value) ? value.toLowerCase() : "#000000"}
          onChange={(event) => onChange(event.currentTarget.value)}
          style={{ display: "block", width: 24, height: 24, padding: 0, border: 0, background: "none" }}
        />
      }
    />
  );
}

function ContrastWarning({ a, b }: { a: string; b: string }) {
  const t = useT();
  if (!isColor(a) || !isColor(b)) return null;
  const ratio = contrastRatio(a, b);
  if (ratio >= 4.5) return null;
  return <Banner tone="warning">{t("branding.contrast", { ratio: Math.floor(ratio * 10) / 10 })}</Banner>;
}

const SECTION_LABELS: Record<keyof WidgetSettings["sections"], MessageKey> = {
  rewards: "branding.showRewards",
  earn: "branding.showEarn",
  referral: "branding.showReferral",
  history: "branding.showHistory",
};

function BrandingForm({ draft, update }: { draft: Draft; update(change: Partial<Draft>): void }) {
  const t = useT();
  const errors = useErrors("branding");
  const error = (field: string) => (errors?.[field] ? t(errors[field] as MessageKey) : undefined);
  const languageName = (language: Language) => (language === "ru" ? "Русский" : "English");
  // The header wears the launcher's colours until the merchant gives it its own.
  const follow = (header: "headerBackground" | "headerText", launcher: "accent" | "onAccent", value: string) =>
    draft[header].toLowerCase() === draft[launcher].toLowerCase() ? { [header]: value } : {};
  const labels: Record<string, string> = {
    accent: t("branding.accent"),
    onAccent: t("branding.onAccent"),
    position: t("branding.position"),
    icon: t("branding.icon"),
    headerBackground: t("branding.headerBackground"),
    headerText: t("branding.headerText"),
    headerImage: t("branding.headerImage"),
    ...Object.fromEntries(LANGUAGES.map((l) => [`label_${l}`, t("branding.label", { language: languageName(l) })])),
  };
  return (
    <GuardedForm>
      <input type="hidden" name="formId" value="branding" />
      <input type="hidden" name="icon" value={draft.icon} />
      {(Object.keys(draft.sections) as Array<keyof Draft["sections"]>).map(
        (section) =>
          draft.sections[section] && (
            <input
              key={section}
              type="hidden"
              name={`show${section.charAt(0).toUpperCase()}${section.slice(1)}`}
              value="on"
            />
          ),
      )}
      <BlockStack gap="500">
        <FormStatus formId="branding" labels={labels} />
        <BlockStack gap="300">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("branding.launcher.heading")}
            </Text>
            <Text as="p" tone="subdued">
              {t("branding.launcher.help")}
            </Text>
          </BlockStack>
          <FormLayout>
            <FormLayout.Group>
              <ColorField
                name="accent"
                label={labels.accent!}
                value={draft.accent}
                onChange={(accent) => update({ accent, ...follow("headerBackground", "accent", accent) })}
                error={error("accent")}
              />
              <ColorField
                name="onAccent"
                label={labels.onAccent!}
                value={draft.onAccent}
                onChange={(onAccent) => update({ onAccent, ...follow("headerText", "onAccent", onAccent) })}
                error={error("onAccent")}
              />
            </FormLayout.Group>
            <ContrastWarning a={draft.accent} b={draft.onAccent} />
            <FormLayout.Group>
              <Select
                name="position"
                label={labels.position!}
                value={draft.position}
                onChange={(position) => update({ position: position === "left" ? "left" : "right" })}
                error={error("position")}
                options={[
                  { value: "right", label: t("branding.position.right") },
                  { value: "left", label: t("branding.position.left") },
                ]}
              />
              <ChoiceList
                title={labels.icon!}
                name="iconChoice"
                selected={[draft.icon]}
                onChange={([icon]) => update({ icon: (icon as LauncherIcon) ?? "star" })}
                error={error("icon")}
                choices={LAUNCHER_ICONS.map((icon) => ({ value: icon, label: t(`branding.icon.${icon}`) }))}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              {LANGUAGES.map((language) => (
                <TextField
                  key={language}
                  name={`label_${language}`}
                  label={labels[`label_${language}`]!}
                  helpText={t("branding.labelHelp")}
                  value={draft.label[language]}
                  onChange={(value) => update({ label: { ...draft.label, [language]: value } })}
                  showCharacterCount
                  maxLength={LABEL_MAX}
                  autoComplete="off"
                  error={error(`label_${language}`)}
                />
              ))}
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
        <BlockStack gap="300">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("branding.header.heading")}
            </Text>
            <Text as="p" tone="subdued">
              {t("branding.header.help")}
            </Text>
          </BlockStack>
          <FormLayout>
            <FormLayout.Group>
              <ColorField
                name="headerBackground"
                label={labels.headerBackground!}
                value={draft.headerBackground}
                onChange={(headerBackground) => update({ headerBackground })}
                error={error("headerBackground")}
              />
              <ColorField
                name="headerText"
                label={labels.headerText!}
                value={draft.headerText}
                onChange={(headerText) => update({ headerText })}
                error={error("headerText")}
              />
            </FormLayout.Group>
            <ContrastWarning a={draft.headerBackground} b={draft.headerText} />
            <TextField
              name="headerImage"
              label={labels.headerImage!}
              helpText={t("branding.headerImageHelp")}
              inputMode="url"
              placeholder="https://"
              value={draft.headerImage}
              onChange={(headerImage) => update({ headerImage })}
              autoComplete="off"
              error={error("headerImage")}
            />
          </FormLayout>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("branding.sections")}
          </Text>
          {(Object.keys(SECTION_LABELS) as Array<keyof Draft["sections"]>).map((section) => (
            <Checkbox
              key={section}
              label={t(SECTION_LABELS[section])}
              checked={draft.sections[section]}
              onChange={(checked) => update({ sections: { ...draft.sections, [section]: checked } })}
            />
          ))}
        </BlockStack>
        <Banner tone="info">{t("branding.themeOverride")}</Banner>
        <SaveButton formId="branding" />
      </BlockStack>
    </GuardedForm>
  );
}

export default function Branding() {
  const t = useT();
  const { widget, languages, defaultLanguage, currency } = useLoaderData<typeof loader>();
  const [draft, setDraft] = useState(() => draftOf(widget));
  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  return (
    <Page title={t("branding.title")} subtitle={t("branding.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BrandingForm draft={draft} update={update} />
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <div style={{ position: "sticky", top: 16 }}>
            <Card>
              <WidgetPreview
                display={previewOf(draft, widget)}
                languages={languages}
                defaultLanguage={defaultLanguage}
                currency={currency}
              />
            </Card>
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
