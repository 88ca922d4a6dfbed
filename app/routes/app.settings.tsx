import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "../db.server";
import { contrastRatio, readWidgetSettings } from "../domain/widget";
import { LANGUAGES } from "../domain/localized";
import { saveDisplaySettings, setProgramStatus } from "../services/admin/program";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { CheckboxField, Field, SelectField } from "../components/fields";
import { FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { requestShopifySync } from "../shopify/customer-sync.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  return {
    status: shop.status,
    languages: shop.settings.languages,
    defaultLanguage: shop.settings.defaultLanguage,
    widget: readWidgetSettings(shop.settings.widget),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  return adminAction(
    async () => {
      if (form.intent === "status")
        return setProgramStatus(prisma, shop.id, form.status === "LIVE" ? "LIVE" : "PAUSED", actor);
      if (form.intent === "display") return saveDisplaySettings(prisma, shop, form, actor);
      throw new Response("Unknown action", { status: 400 });
    },
    { echo: { formId: form.intent ?? "" }, onSuccess: () => void requestShopifySync(shop.id) },
  );
};

/** A colour field with a swatch; posts `name` as #rrggbb. */
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
  onChange(v: string): void;
  error?: string;
}) {
  return (
    <TextField
      name={name}
      label={label}
      value={value}
      onChange={onChange}
      autoComplete="off"
      error={error}
      prefix={
        <span
          aria-hidden
          style={{
            display: "inline-block",
            width: 16,
            height: 16,
            borderRadius: 4,
            background: value,
            border: "1px solid #8a8a8a",
          }}
        />
      }
    />
  );
}

function DisplayForm() {
  const t = useT();
  const { languages, defaultLanguage, widget } = useLoaderData<typeof loader>();
  const errors = useErrors("display");
  const [accent, setAccent] = useState(widget.accent);
  const [onAccent, setOnAccent] = useState(widget.onAccent);
  const valid = /^#[0-9a-f]{6}$/i.test(accent) && /^#[0-9a-f]{6}$/i.test(onAccent);
  const contrast = valid ? contrastRatio(accent, onAccent) : null;
  const error = (field: string) => (errors?.[field] ? t(errors[field] as never) : undefined);
  return (
    <GuardedForm>
      <input type="hidden" name="intent" value="display" />
      <input type="hidden" name="formId" value="display" />
      <BlockStack gap="300">
        <FormStatus formId="display" />
        <FormLayout>
          <Text as="h3" variant="headingSm">
            {t("settings.languages")}
          </Text>
          <CheckboxField name="lang_en" label="English" defaultChecked={languages.includes("en")} />
          <CheckboxField name="lang_ru" label="Русский" defaultChecked={languages.includes("ru")} />
          <SelectField
            name="defaultLanguage"
            label={t("settings.defaultLanguage")}
            defaultValue={defaultLanguage}
            errors={errors}
            options={[
              { value: "en", label: "English" },
              { value: "ru", label: "Русский" },
            ]}
          />
          <Text as="h3" variant="headingSm">
            {t("settings.widget.heading")}
          </Text>
          <FormLayout.Group>
            <ColorField
              name="accent"
              label={t("settings.widget.color")}
              value={accent}
              onChange={setAccent}
              error={error("accent")}
            />
            <ColorField
              name="onAccent"
              label={t("settings.widget.onColor")}
              value={onAccent}
              onChange={setOnAccent}
              error={error("onAccent")}
            />
          </FormLayout.Group>
          {contrast !== null && contrast < 4.5 && (
            <Banner tone="warning">{t("settings.widget.contrast", { ratio: contrast.toFixed(1) })}</Banner>
          )}
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" tone="subdued">
              {t("settings.widget.sample")}
            </Text>
            <span
              style={{ background: accent, color: onAccent, padding: "6px 14px", borderRadius: 999, fontWeight: 600 }}
            >
              ★ 1 250
            </span>
          </InlineStack>
          <SelectField
            name="position"
            label={t("settings.widget.position")}
            defaultValue={widget.position}
            options={[
              { value: "right", label: t("settings.widget.right") },
              { value: "left", label: t("settings.widget.left") },
            ]}
          />
          <FormLayout.Group>
            {LANGUAGES.map((language) => (
              <Field
                key={language}
                name={`label_${language}`}
                label={t("settings.widget.label", { language: language === "ru" ? "Русский" : "English" })}
                helpText={t("settings.widget.labelHelp")}
                defaultValue={widget.label[language]}
                errors={errors}
              />
            ))}
          </FormLayout.Group>
          <Text as="h3" variant="headingSm">
            {t("settings.widget.sections")}
          </Text>
          <CheckboxField
            name="showRewards"
            label={t("settings.widget.showRewards")}
            defaultChecked={widget.sections.rewards}
          />
          <CheckboxField name="showEarn" label={t("settings.widget.showEarn")} defaultChecked={widget.sections.earn} />
          <CheckboxField
            name="showReferral"
            label={t("settings.widget.showReferral")}
            defaultChecked={widget.sections.referral}
          />
          <CheckboxField
            name="showHistory"
            label={t("settings.widget.showHistory")}
            defaultChecked={widget.sections.history}
          />
          <Banner tone="info">{t("settings.widget.themeOverride")}</Banner>
        </FormLayout>
        <SaveButton formId="display" />
      </BlockStack>
    </GuardedForm>
  );
}

export default function Settings() {
  const t = useT();
  const { status } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const live = status === "LIVE";
  return (
    <Page title={t("settings.title")}>
      <Layout>
        <Layout.AnnotatedSection title={t("settings.status.heading")} description={t("settings.status.help")}>
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="status" />
              <input type="hidden" name="status" value={live ? "PAUSED" : "LIVE"} />
              <InlineStack align="space-between" blockAlign="center">
                <Badge tone={live ? "success" : "attention"}>{t(`home.status.${status}`)}</Badge>
                <Button
                  submit
                  variant={live ? "secondary" : "primary"}
                  loading={navigation.formData?.get("intent") === "status"}
                >
                  {live ? t("settings.status.pause") : t("settings.status.launch")}
                </Button>
              </InlineStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("settings.display.heading")} description={t("settings.display.help")}>
          <Card>
            <DisplayForm />
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
