import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { saveLanguages, setProgramStatus } from "../services/admin/program";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { CheckboxField, SelectField } from "../components/fields";
import { FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { requestShopifySync } from "../shopify/customer-sync.server";

/**
 * The program's status and the languages shoppers see. How the storefront widget looks
 * is on the Branding page (app.branding.tsx); a card here points to it.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  return {
    status: shop.status,
    languages: shop.settings.languages,
    defaultLanguage: shop.settings.defaultLanguage,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  return adminAction(
    async () => {
      if (form.intent === "status")
        return setProgramStatus(prisma, shop.id, form.status === "LIVE" ? "LIVE" : "PAUSED", actor);
      if (form.intent === "languages") return saveLanguages(prisma, shop, form, actor);
      throw new Response("Unknown action", { status: 400 });
    },
    { echo: { formId: form.intent ?? "" }, onSuccess: () => void requestShopifySync(shop.id) },
  );
};

function LanguagesForm() {
  const t = useT();
  const { languages, defaultLanguage } = useLoaderData<typeof loader>();
  const errors = useErrors("languages");
  return (
    <GuardedForm>
      <input type="hidden" name="intent" value="languages" />
      <input type="hidden" name="formId" value="languages" />
      <BlockStack gap="300">
        <FormStatus formId="languages" />
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
        </FormLayout>
        <SaveButton formId="languages" />
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
        <Layout.AnnotatedSection title={t("branding.languages.heading")} description={t("branding.languages.help")}>
          <Card>
            <LanguagesForm />
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("branding.moved.heading")}>
          <Card>
            <BlockStack gap="300">
              <Text as="p">{t("branding.moved.body")}</Text>
              <InlineStack>
                <Button url="/app/branding">{t("branding.moved.link")}</Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
