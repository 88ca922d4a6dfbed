import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, FormLayout, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { minorToDecimalString } from "../domain/money";
import { LANGUAGES, readTranslations } from "../domain/localized";
import type { MessageKey } from "../i18n";
import { deleteTier, saveTier } from "../services/admin/tiers";
import { NotFoundError } from "../services/admin/forms";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { CheckboxField, Field } from "../components/fields";
import { DeleteButton, FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { NameFields } from "../components/name-fields";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { requestShopifySync } from "../shopify/customer-sync.server";

/** One VIP tier, new or existing: names, threshold in the program's metric, and perks. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const tier = params.id === "new" ? null : (shop.tiers.find((t) => t.id === params.id) ?? null);
  if (params.id !== "new" && !tier) throw new Response("Not found", { status: 404 });
  const metric = shop.settings.tierMetric;
  return {
    currency: shop.currency,
    metric,
    languages: LANGUAGES.filter((l) => shop.settings.languages.includes(l)),
    defaultLanguage: shop.settings.defaultLanguage,
    tier: tier && {
      id: tier.id,
      name: tier.name,
      names: readTranslations(tier.names),
      threshold: metric === "SPEND" ? minorToDecimalString(tier.threshold, shop.currency) : tier.threshold.toString(),
      multiplier: String(tier.multiplierBp / 10_000),
      freeShipping: tier.freeShipping,
      earlyAccess: tier.earlyAccess,
      customPerk: tier.customPerk ?? "",
      customerTag: tier.customerTag ?? "",
    },
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  const id = params.id === "new" ? undefined : params.id;
  if (form.intent === "deleteTier") {
    const response = await adminAction(() => deleteTier(prisma, shop, id ?? "", actor));
    return response.ok ? redirect("/app/tiers") : response;
  }
  const response = await adminAction(
    async () => {
      if (id && !shop.tiers.some((t) => t.id === id)) throw new NotFoundError("tier");
      return (await saveTier(prisma, shop, form, actor, id)).id;
    },
    { echo: { formId: "tier" }, onSuccess: () => void requestShopifySync(shop.id) },
  );
  if (response.ok && !id) {
    const { result } = (await response.clone().json()) as { result: string };
    return redirect(`/app/tiers/${result}?saved=tier`);
  }
  return response;
};

export default function TierPage() {
  const t = useT();
  const { tier, metric, currency, languages, defaultLanguage } = useLoaderData<typeof loader>();
  const errors = useErrors("tier");
  return (
    <Page
      title={tier ? tier.name : t("program.tiers.new")}
      backAction={{ content: t("tiers.title"), url: "/app/tiers" }}
    >
      <Layout>
        <Layout.Section>
          <GuardedForm>
            <input type="hidden" name="formId" value="tier" />
            <BlockStack gap="400">
              <FormStatus formId="tier" />
              <Card>
                <FormLayout>
                  <NameFields
                    label={t("program.tiers.name")}
                    name={tier?.name}
                    names={tier?.names}
                    languages={languages}
                    defaultLanguage={defaultLanguage}
                    errors={errors}
                  />
                  <FormLayout.Group>
                    <Field
                      name="threshold"
                      label={t(`program.tiers.threshold.${metric}` as MessageKey)}
                      suffix={metric === "SPEND" ? currency : undefined}
                      defaultValue={tier?.threshold}
                      errors={errors}
                    />
                    <Field
                      name="multiplier"
                      label={t("program.tiers.multiplier")}
                      suffix="×"
                      defaultValue={tier?.multiplier ?? "1"}
                      errors={errors}
                    />
                  </FormLayout.Group>
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    {t("tiers.perks")}
                  </Text>
                  <CheckboxField
                    name="freeShipping"
                    label={t("program.tiers.freeShipping")}
                    helpText={t("tiers.freeShippingHelp")}
                    defaultChecked={tier?.freeShipping}
                  />
                  <CheckboxField
                    name="earlyAccess"
                    label={t("program.tiers.earlyAccess")}
                    defaultChecked={tier?.earlyAccess}
                    helpText={t("program.tiers.earlyAccessHelp")}
                  />
                  <FormLayout.Group>
                    <Field
                      name="customPerk"
                      label={t("program.tiers.customPerk")}
                      defaultValue={tier?.customPerk}
                      errors={errors}
                    />
                    <Field
                      name="customerTag"
                      label={t("program.tiers.tag")}
                      helpText={t("program.tiers.tagHelp")}
                      defaultValue={tier?.customerTag}
                      errors={errors}
                    />
                  </FormLayout.Group>
                </FormLayout>
              </Card>
              <SaveButton formId="tier" label={tier ? t("program.save") : t("program.tiers.add")} />
            </BlockStack>
          </GuardedForm>
          {tier && <DeleteButton intent="deleteTier" id={tier.id} />}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
