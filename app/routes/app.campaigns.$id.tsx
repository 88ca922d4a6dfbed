import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, FormLayout, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { LANGUAGES, readTranslations } from "../domain/localized";
import type { MessageKey } from "../i18n";
import { deleteCampaign, findCampaign, saveCampaign } from "../services/admin/campaigns";
import { adminAction, formFields, orNotFound } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { requestCampaignCollections, resourceTitles } from "../shopify/catalog.server";
import { CheckboxField, Field } from "../components/fields";
import { DeleteButton, FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { NameFields } from "../components/name-fields";
import { ResourcePickerField } from "../components/resource-picker";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { requestShopifySync } from "../shopify/customer-sync.server";
import { localDay } from "../domain/time";

/**
 * One bonus campaign: its names, multiplier and days, and what it applies to (every
 * product, or products and collections chosen with the resource picker).
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, adminApi } = await adminContext(request);
  const campaign = params.id === "new" ? null : await orNotFound(findCampaign(prisma, shop, params.id ?? ""));
  const admin = campaign && campaign.productIds.length + campaign.collectionIds.length ? await adminApi() : null;
  const [products, collections] = campaign
    ? await Promise.all([
        resourceTitles(
          admin,
          campaign.productIds.map((id) => `gid://shopify/Product/${id}`),
        ),
        resourceTitles(
          admin,
          campaign.collectionIds.map((id) => `gid://shopify/Collection/${id}`),
        ),
      ])
    : [[], []];
  return {
    languages: LANGUAGES.filter((l) => shop.settings.languages.includes(l)),
    defaultLanguage: shop.settings.defaultLanguage,
    campaign: campaign && {
      id: campaign.id,
      name: campaign.name,
      names: readTranslations(campaign.names),
      multiplier: String(campaign.multiplierBp / 10_000),
      startsAt: localDay(campaign.startsAt, shop.timezone),
      endsAt: localDay(new Date(campaign.endsAt.getTime() - 1), shop.timezone),
      enabled: campaign.enabled,
    },
    products,
    collections,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  const id = params.id === "new" ? undefined : params.id;
  if (form.intent === "deleteCampaign") {
    const response = await adminAction(() => deleteCampaign(prisma, shop, id ?? "", actor));
    return response.ok ? redirect("/app/campaigns") : response;
  }
  const response = await adminAction(async () => (await saveCampaign(prisma, shop, form, actor, id)).id, {
    echo: { formId: "campaign" },
    // Collections' products are read from Shopify in the background.
    onSuccess: () => {
      void requestCampaignCollections(shop.id);
      void requestShopifySync(shop.id);
    },
  });
  if (response.ok && !id) {
    const { result } = (await response.clone().json()) as { result: string };
    return redirect(`/app/campaigns/${result}?saved=campaign`);
  }
  return response;
};

export default function CampaignPage() {
  const t = useT();
  const { campaign, products, collections, languages, defaultLanguage } = useLoaderData<typeof loader>();
  const errors = useErrors("campaign");
  const error = (field: string) => (errors?.[field] ? t(errors[field] as MessageKey) : undefined);
  return (
    <Page
      title={campaign ? campaign.name : t("program.campaigns.new")}
      backAction={{ content: t("campaigns.title"), url: "/app/campaigns" }}
    >
      <Layout>
        <Layout.Section>
          <GuardedForm>
            <input type="hidden" name="formId" value="campaign" />
            <BlockStack gap="400">
              <FormStatus formId="campaign" />
              <Card>
                <FormLayout>
                  <NameFields
                    label={t("program.campaigns.name")}
                    name={campaign?.name}
                    names={campaign?.names}
                    languages={languages}
                    defaultLanguage={defaultLanguage}
                    errors={errors}
                  />
                  <FormLayout.Group>
                    <Field
                      name="multiplier"
                      label={t("program.tiers.multiplier")}
                      suffix="×"
                      defaultValue={campaign?.multiplier ?? "2"}
                      errors={errors}
                    />
                    <Field
                      name="startsAt"
                      type="date"
                      label={t("program.campaigns.from")}
                      defaultValue={campaign?.startsAt}
                      errors={errors}
                    />
                    <Field
                      name="endsAt"
                      type="date"
                      label={t("program.campaigns.to")}
                      defaultValue={campaign?.endsAt}
                      errors={errors}
                    />
                  </FormLayout.Group>
                  {campaign && (
                    <CheckboxField name="enabled" label={t("campaigns.enabled")} defaultChecked={campaign.enabled} />
                  )}
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    {t("campaigns.appliesTo")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("campaigns.appliesToHelp")}
                  </Text>
                  <ResourcePickerField
                    name="productIds"
                    type="product"
                    label={t("campaigns.products")}
                    initial={products}
                    error={error("productIds")}
                  />
                  <ResourcePickerField
                    name="collectionIds"
                    type="collection"
                    label={t("campaigns.collections")}
                    initial={collections}
                    error={error("collectionIds")}
                  />
                </BlockStack>
              </Card>
              <SaveButton formId="campaign" label={campaign ? t("program.save") : t("program.campaigns.add")} />
            </BlockStack>
          </GuardedForm>
          {campaign && <DeleteButton intent="deleteCampaign" id={campaign.id} />}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
