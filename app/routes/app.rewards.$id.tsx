import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, FormLayout, Layout, Page, Select, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { minorToDecimalString } from "../domain/money";
import { LANGUAGES, localizedName, programLanguage, readTranslations } from "../domain/localized";
import { RewardType } from "../generated/prisma/enums";
import type { MessageKey } from "../i18n";
import { deleteReward, findReward, saveReward } from "../services/admin/rewards";
import { adminAction, formFields, orNotFound } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { resourceTitles } from "../shopify/catalog.server";
import { CheckboxField, Field, SelectField } from "../components/fields";
import { DeleteButton, FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { NameFields } from "../components/name-fields";
import { ResourcePickerField } from "../components/resource-picker";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { requestShopifySync } from "../shopify/customer-sync.server";

const TRIGGERS = ["POINTS", "ORDER_LADDER", "BIRTHDAY_GIFT", "REFERRAL_FRIEND"] as const;
type Trigger = (typeof TRIGGERS)[number];

/**
 * One reward, new or existing: what it gives, its names in every program language, what
 * it costs and who may redeem it, how it combines with other discounts, and the product
 * (chosen with the resource picker) for a free-product reward.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, locale, adminApi } = await adminContext(request);
  const url = new URL(request.url);
  const reward = params.id === "new" ? null : await orNotFound(findReward(prisma, shop, params.id ?? ""));
  const trigger: Trigger =
    (reward?.trigger as Trigger) ?? TRIGGERS.find((x) => x === url.searchParams.get("trigger")) ?? "POINTS";
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const variant = reward?.productVariantId ? await resourceTitles(await adminApi(), [reward.productVariantId]) : [];
  const decimal = (minor: number | null) => (minor === null ? "" : minorToDecimalString(BigInt(minor), shop.currency));
  return {
    currency: shop.currency,
    languages: LANGUAGES.filter((l) => shop.settings.languages.includes(l)),
    defaultLanguage: shop.settings.defaultLanguage,
    trigger,
    step: reward?.ladderOrderCount ?? (Number(url.searchParams.get("step")) === 2 ? 2 : 1),
    tiers: shop.tiers.map((t) => ({ id: t.id, name: localizedName(t.name, t.names, language) })),
    reward: reward && {
      id: reward.id,
      name: reward.name,
      names: readTranslations(reward.names),
      type: reward.type,
      pointsCost: reward.pointsCost,
      value: decimal(reward.valueMinor),
      percent: reward.valuePercentBp === null ? "" : String(reward.valuePercentBp / 100),
      minOrder: decimal(reward.minOrderMinor),
      codeExpiryDays: reward.codeExpiryDays,
      limitPerMember: reward.limitPerMember,
      tierId: reward.tierId ?? "",
      enabled: reward.enabled,
      combinesWithOrder: reward.combinesWithOrder,
      combinesWithProduct: reward.combinesWithProduct,
      combinesWithShipping: reward.combinesWithShipping,
    },
    variant,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  const id = params.id === "new" ? undefined : params.id;
  if (form.intent === "deleteReward") {
    const response = await adminAction(() => deleteReward(prisma, shop, id ?? "", actor));
    return response.ok ? redirect("/app/rewards") : response;
  }
  const response = await adminAction(() => saveReward(prisma, shop, form, actor, id), {
    echo: { formId: "reward" },
    onSuccess: () => void requestShopifySync(shop.id),
  });
  if (response.ok && !id) {
    const { result } = (await response.clone().json()) as { result: { id: string } };
    return redirect(`/app/rewards/${result.id}?saved=reward`);
  }
  return response;
};

export default function RewardPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { reward, trigger, currency, tiers } = data;
  const errors = useErrors("reward");
  const [type, setType] = useState<string>(
    reward?.type ?? (trigger === "BIRTHDAY_GIFT" ? "PERCENTAGE" : "FIXED_AMOUNT"),
  );
  const types = Object.values(RewardType).filter((v) => !(trigger === "REFERRAL_FRIEND" && v === "STORE_CREDIT"));
  const title = reward ? reward.name : t(`rewards.new.${trigger}` as MessageKey, { step: data.step });
  return (
    <Page
      title={title}
      backAction={{ content: t("rewards.title"), url: "/app/rewards" }}
      subtitle={t(`rewards.kind.${trigger}` as MessageKey, { step: data.step })}
    >
      <Layout>
        <Layout.Section>
          <GuardedForm>
            <input type="hidden" name="trigger" value={trigger} />
            {trigger === "ORDER_LADDER" && <input type="hidden" name="ladderOrderCount" value={data.step} />}
            <input type="hidden" name="formId" value="reward" />
            <BlockStack gap="400">
              <FormStatus formId="reward" />
              <Card>
                <FormLayout>
                  <NameFields
                    label={t("program.rewards.name")}
                    name={reward?.name}
                    names={reward?.names}
                    languages={data.languages}
                    defaultLanguage={data.defaultLanguage}
                    errors={errors}
                  />
                  <FormLayout.Group>
                    <Select
                      name="type"
                      label={t("program.rewards.type")}
                      value={type}
                      onChange={setType}
                      error={errors?.type ? t(errors.type as MessageKey) : undefined}
                      options={types.map((v) => ({ value: v, label: t(`program.rewards.type.${v}`) }))}
                    />
                    {(type === "FIXED_AMOUNT" || type === "STORE_CREDIT") && (
                      <Field
                        name="value"
                        label={t("program.rewards.value")}
                        suffix={currency}
                        defaultValue={reward?.value}
                        errors={errors}
                      />
                    )}
                    {type === "PERCENTAGE" && (
                      <Field
                        name="percent"
                        type="number"
                        label={t("program.rewards.percent")}
                        suffix="%"
                        defaultValue={reward?.percent}
                        errors={errors}
                      />
                    )}
                  </FormLayout.Group>
                  {type === "FREE_PRODUCT" && (
                    <ResourcePickerField
                      name="productVariantId"
                      type="variant"
                      multiple={false}
                      label={t("program.rewards.variant")}
                      initial={data.variant}
                      error={errors?.productVariantId ? t(errors.productVariantId as MessageKey) : undefined}
                    />
                  )}
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    {t("rewards.conditions")}
                  </Text>
                  <FormLayout.Group>
                    {trigger === "POINTS" && (
                      <Field
                        name="pointsCost"
                        type="number"
                        label={t("program.rewards.cost")}
                        defaultValue={reward?.pointsCost}
                        errors={errors}
                      />
                    )}
                    <Field
                      name="minOrder"
                      label={t("program.rewards.minOrder")}
                      suffix={currency}
                      defaultValue={reward?.minOrder}
                      errors={errors}
                    />
                    <Field
                      name="codeExpiryDays"
                      type="number"
                      label={t("program.rewards.expiry")}
                      helpText={trigger === "POINTS" ? undefined : t("rewards.expiryRequired")}
                      defaultValue={reward?.codeExpiryDays ?? (trigger === "POINTS" ? null : 30)}
                      errors={errors}
                    />
                  </FormLayout.Group>
                  {trigger === "POINTS" && (
                    <FormLayout.Group>
                      <SelectField
                        name="tierId"
                        label={t("program.rewards.tier")}
                        defaultValue={reward?.tierId ?? ""}
                        errors={errors}
                        options={[
                          { value: "", label: t("program.rewards.allTiers") },
                          ...tiers.map((tier) => ({ value: tier.id, label: tier.name })),
                        ]}
                      />
                      <Field
                        name="limitPerMember"
                        type="number"
                        label={t("rewards.limitPerMember")}
                        helpText={t("rewards.limitPerMemberHelp")}
                        defaultValue={reward?.limitPerMember}
                        errors={errors}
                      />
                    </FormLayout.Group>
                  )}
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("rewards.combines")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("rewards.combinesHelp")}
                  </Text>
                  <CheckboxField
                    name="combinesWithOrder"
                    label={t("rewards.combinesWithOrder")}
                    defaultChecked={reward?.combinesWithOrder ?? false}
                  />
                  <CheckboxField
                    name="combinesWithProduct"
                    label={t("rewards.combinesWithProduct")}
                    defaultChecked={reward?.combinesWithProduct ?? false}
                  />
                  <CheckboxField
                    name="combinesWithShipping"
                    label={t("rewards.combinesWithShipping")}
                    defaultChecked={reward?.combinesWithShipping ?? true}
                  />
                </BlockStack>
              </Card>
              <Card>
                <CheckboxField
                  name="enabled"
                  label={t("program.rewards.enabled")}
                  defaultChecked={reward?.enabled ?? true}
                />
              </Card>
              <SaveButton formId="reward" label={reward ? t("program.save") : t("program.rewards.add")} />
            </BlockStack>
          </GuardedForm>
          {reward && (
            <BlockStack gap="200" inlineAlign="start">
              <DeleteButton intent="deleteReward" id={reward.id} />
            </BlockStack>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
