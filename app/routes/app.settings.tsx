import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { saveDisplaySettings, setProgramStatus } from "../services/program-admin";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { CheckboxField, Field, SelectField } from "../components/fields";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const widget = (shop.settings.widget ?? {}) as Record<string, unknown>;
  return {
    status: shop.status,
    languages: shop.settings.languages,
    defaultLanguage: shop.settings.defaultLanguage,
    widget: {
      accentColor: typeof widget.accentColor === "string" ? widget.accentColor : "#1f5199",
      position: widget.position === "left" ? "left" : "right",
      showReferral: widget.showReferral !== false,
      showHistory: widget.showHistory !== false,
    },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  return adminAction(async () => {
    if (form.intent === "status")
      return setProgramStatus(prisma, shop.id, form.status === "LIVE" ? "LIVE" : "PAUSED", actor);
    if (form.intent === "display") return saveDisplaySettings(prisma, shop, form, actor);
    throw new Response("Unknown action", { status: 400 });
  });
};

export default function Settings() {
  const t = useT();
  const { status, languages, defaultLanguage, widget } = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: boolean; errors?: Record<string, string> }>();
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
            <Form method="post" data-save-bar data-discard-confirmation>
              <input type="hidden" name="intent" value="display" />
              <BlockStack gap="300">
                {result?.ok && <Banner tone="success">{t("program.saved")}</Banner>}
                {result && !result.ok && <Banner tone="critical">{t("program.fixErrors")}</Banner>}
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
                    errors={result?.errors}
                    options={[
                      { value: "en", label: "English" },
                      { value: "ru", label: "Русский" },
                    ]}
                  />
                  <Field
                    name="accentColor"
                    label={t("settings.widget.color")}
                    defaultValue={widget.accentColor}
                    errors={result?.errors}
                  />
                  <SelectField
                    name="position"
                    label={t("settings.widget.position")}
                    defaultValue={widget.position}
                    options={[
                      { value: "right", label: t("settings.widget.right") },
                      { value: "left", label: t("settings.widget.left") },
                    ]}
                  />
                  <CheckboxField
                    name="showReferral"
                    label={t("settings.widget.showReferral")}
                    defaultChecked={widget.showReferral}
                  />
                  <CheckboxField
                    name="showHistory"
                    label={t("settings.widget.showHistory")}
                    defaultChecked={widget.showHistory}
                  />
                </FormLayout>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={navigation.formData?.get("intent") === "display"}>
                    {t("program.save")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
