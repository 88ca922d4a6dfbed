import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Tabs,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import type { MessageKey } from "../i18n";
import { formatMoney, minorToDecimalString } from "../domain/money";
import {
  deleteCampaign,
  deleteReward,
  deleteTier,
  programEditorData,
  saveCampaign,
  saveEarning,
  saveReward,
  saveTier,
} from "../services/program-admin";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { CheckboxField, Field, SelectField } from "../components/fields";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { EarningAction, RewardType, TierMetric, TierWindow } from "../generated/prisma/enums";

const ACTIONS = Object.values(EarningAction);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const { rewards, campaigns } = await programEditorData(prisma, shop);
  const s = shop.settings;
  const decimal = (minor: number | bigint | null) =>
    minor === null ? "" : minorToDecimalString(BigInt(minor), shop.currency);
  return {
    currency: shop.currency,
    earnRate: `${shop.settings.earnPoints} / ${formatMoney(shop.settings.earnSpendMinor, shop.currency, locale)}`,
    settings: {
      pointsNameSingular: s.pointsNameSingular,
      pointsNamePlural: s.pointsNamePlural,
      earnPoints: s.earnPoints,
      earnSpend: decimal(s.earnSpendMinor),
      availabilityDelayDays: s.availabilityDelayDays,
      expiryInactivityDays: s.expiryInactivityDays,
      pendingWindowDays: s.pendingWindowDays,
      negativeBalancePolicy: s.negativeBalancePolicy,
      tierMetric: s.tierMetric,
      tierWindow: s.tierWindow,
      tierGraceDays: s.tierGraceDays,
      autoEnroll: s.autoEnroll,
      includeShipping: s.includeShipping,
      includeTax: s.includeTax,
      reviewsRequirePurchase: s.reviewsRequirePurchase,
    },
    rules: Object.fromEntries([...shop.rules.values()].map((r) => [r.action, r.points])) as Record<string, number>,
    rewards: rewards.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      pointsCost: r.pointsCost,
      value: decimal(r.valueMinor),
      percent: r.valuePercentBp === null ? "" : String(r.valuePercentBp / 100),
      minOrder: decimal(r.minOrderMinor),
      codeExpiryDays: r.codeExpiryDays,
      limitPerMember: r.limitPerMember,
      tierId: r.tierId ?? "",
      productVariantId: r.productVariantId ?? "",
      enabled: r.enabled,
    })),
    tiers: shop.tiers.map((t) => ({
      id: t.id,
      name: t.name,
      threshold: shop.settings.tierMetric === "SPEND" ? decimal(t.threshold) : t.threshold.toString(),
      multiplier: String(t.multiplierBp / 10_000),
      freeShipping: t.freeShipping,
      earlyAccess: t.earlyAccess,
      customPerk: t.customPerk ?? "",
      customerTag: t.customerTag ?? "",
    })),
    campaigns: campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      multiplier: c.multiplierBp / 10_000,
      startsAt: c.startsAt.toISOString(),
      endsAt: c.endsAt.toISOString(),
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  const formId = form.formId ?? "";
  return adminAction(
    async () => {
      switch (form.intent) {
        case "earning":
          return saveEarning(prisma, shop, form, actor);
        case "saveReward":
          return (await saveReward(prisma, shop, form, actor, form.id || undefined)).id;
        case "deleteReward":
          return deleteReward(prisma, shop, form.id ?? "", actor);
        case "saveTier":
          return (await saveTier(prisma, shop, form, actor, form.id || undefined)).id;
        case "deleteTier":
          return deleteTier(prisma, shop, form.id ?? "", actor);
        case "saveCampaign":
          return (await saveCampaign(prisma, shop, form, actor)).id;
        case "deleteCampaign":
          return deleteCampaign(prisma, shop, form.id ?? "", actor);
        default:
          throw new Response("Unknown action", { status: 400 });
      }
    },
    { echo: { formId } },
  );
};

type ActionResult = { ok: boolean; formId: string; errors?: Record<string, string> };

function FormStatus({ formId }: { formId: string }) {
  const t = useT();
  const result = useActionData<ActionResult>();
  if (!result || result.formId !== formId) return null;
  if (result.ok) return <Banner tone="success">{t("program.saved")}</Banner>;
  const general = result.errors?.form;
  return <Banner tone="critical">{t((general ?? "program.fixErrors") as MessageKey)}</Banner>;
}

function useErrors(formId: string) {
  const result = useActionData<ActionResult>();
  return result && result.formId === formId ? result.errors : undefined;
}

function SaveButton({ formId }: { formId: string }) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("formId") === formId;
  return (
    <InlineStack align="end">
      <Button submit variant="primary" loading={busy}>
        {t("program.save")}
      </Button>
    </InlineStack>
  );
}

/** Deleting posts its own small form, so it never submits the edits around it. */
function DeleteButton({ intent, id }: { intent: string; id: string }) {
  const t = useT();
  const submit = useSubmit();
  return (
    <Button tone="critical" variant="plain" onClick={() => submit({ intent, id, formId: id }, { method: "post" })}>
      {t("program.delete")}
    </Button>
  );
}

function EarningForm() {
  const t = useT();
  const { settings, rules, currency } = useLoaderData<typeof loader>();
  const errors = useErrors("earning");
  return (
    // data-save-bar: inside Shopify admin, App Bridge shows the contextual save bar while
    // the form has unsaved changes and asks before leaving; elsewhere it is inert.
    <Form method="post" data-save-bar data-discard-confirmation>
      <input type="hidden" name="intent" value="earning" />
      <input type="hidden" name="formId" value="earning" />
      <BlockStack gap="400">
        <FormStatus formId="earning" />
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {t("program.earning.heading")}
            </Text>
            <FormLayout.Group>
              <Field
                name="earnPoints"
                type="number"
                label={t("program.earning.points")}
                defaultValue={settings.earnPoints}
                errors={errors}
              />
              <Field
                name="earnSpend"
                label={t("program.earning.spend")}
                suffix={currency}
                defaultValue={settings.earnSpend}
                errors={errors}
              />
            </FormLayout.Group>
            <CheckboxField
              name="includeShipping"
              label={t("program.earning.includeShipping")}
              defaultChecked={settings.includeShipping}
            />
            <CheckboxField
              name="includeTax"
              label={t("program.earning.includeTax")}
              defaultChecked={settings.includeTax}
            />
            <FormLayout.Group>
              <Field
                name="pointsNameSingular"
                label={t("program.earning.nameSingular")}
                defaultValue={settings.pointsNameSingular}
                errors={errors}
              />
              <Field
                name="pointsNamePlural"
                label={t("program.earning.namePlural")}
                defaultValue={settings.pointsNamePlural}
                errors={errors}
              />
            </FormLayout.Group>
          </FormLayout>
        </Card>
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {t("program.actions.heading")}
            </Text>
            <FormLayout.Group condensed>
              {ACTIONS.map((action) => (
                <Field
                  key={action}
                  name={`rule_${action}`}
                  type="number"
                  label={t(`program.actions.${action}`)}
                  defaultValue={rules[action] ?? 0}
                  errors={errors}
                />
              ))}
            </FormLayout.Group>
          </FormLayout>
        </Card>
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {t("program.rules.heading")}
            </Text>
            <FormLayout.Group>
              <Field
                name="availabilityDelayDays"
                type="number"
                label={t("program.rules.delay")}
                helpText={t("program.rules.delayHelp")}
                defaultValue={settings.availabilityDelayDays}
                errors={errors}
              />
              <Field
                name="expiryInactivityDays"
                type="number"
                label={t("program.rules.expiry")}
                helpText={t("program.rules.expiryHelp")}
                defaultValue={settings.expiryInactivityDays}
                errors={errors}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <Field
                name="pendingWindowDays"
                type="number"
                label={t("program.rules.pending")}
                helpText={t("program.rules.pendingHelp")}
                defaultValue={settings.pendingWindowDays}
                errors={errors}
              />
              <SelectField
                name="negativeBalancePolicy"
                label={t("program.rules.negative")}
                defaultValue={settings.negativeBalancePolicy}
                errors={errors}
                options={[
                  { value: "ALLOW_NEGATIVE", label: t("program.rules.negative.ALLOW_NEGATIVE") },
                  { value: "CLAMP_TO_ZERO", label: t("program.rules.negative.CLAMP_TO_ZERO") },
                ]}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <SelectField
                name="tierMetric"
                label={t("program.tiers.metric")}
                defaultValue={settings.tierMetric}
                options={Object.values(TierMetric).map((v) => ({
                  value: v,
                  label: t(`program.tiers.metric.${v}`),
                }))}
              />
              <SelectField
                name="tierWindow"
                label={t("program.tiers.window")}
                defaultValue={settings.tierWindow}
                options={Object.values(TierWindow).map((v) => ({
                  value: v,
                  label: t(`program.tiers.window.${v}`),
                }))}
              />
              <Field
                name="tierGraceDays"
                type="number"
                label={t("program.tiers.grace")}
                defaultValue={settings.tierGraceDays}
                errors={errors}
              />
            </FormLayout.Group>
            <CheckboxField
              name="autoEnroll"
              label={t("program.rules.autoEnroll")}
              defaultChecked={settings.autoEnroll}
            />
            <CheckboxField
              name="reviewsRequirePurchase"
              label={t("program.rules.reviewsRequirePurchase")}
              helpText={t("program.rules.reviewsRequirePurchaseHelp")}
              defaultChecked={settings.reviewsRequirePurchase}
            />
          </FormLayout>
        </Card>
        <SaveButton formId="earning" />
      </BlockStack>
    </Form>
  );
}

type RewardRow = ReturnType<typeof useLoaderData<typeof loader>>["rewards"][number];

function RewardForm({ reward }: { reward?: RewardRow }) {
  const t = useT();
  const { currency, tiers } = useLoaderData<typeof loader>();
  const formId = reward?.id ?? "newReward";
  const errors = useErrors(formId);
  const [type, setType] = useState(reward?.type ?? "FIXED_AMOUNT");
  return (
    <Card>
      <Form method="post" data-save-bar data-discard-confirmation>
        <input type="hidden" name="intent" value="saveReward" />
        <input type="hidden" name="formId" value={formId} />
        {reward && <input type="hidden" name="id" value={reward.id} />}
        <BlockStack gap="300">
          <InlineStack align="space-between">
            <Text as="h3" variant="headingSm">
              {reward ? reward.name : t("program.rewards.new")}
            </Text>
            {reward && (
              <Badge tone={reward.enabled ? "success" : undefined}>
                {t(reward.enabled ? "program.rewards.on" : "program.rewards.off")}
              </Badge>
            )}
          </InlineStack>
          <FormStatus formId={formId} />
          <FormLayout>
            <FormLayout.Group>
              <Field name="name" label={t("program.rewards.name")} defaultValue={reward?.name} errors={errors} />
              <div onChange={(event) => setType((event.target as HTMLSelectElement).value as typeof type)}>
                <SelectField
                  name="type"
                  label={t("program.rewards.type")}
                  defaultValue={type}
                  errors={errors}
                  options={Object.values(RewardType).map((v) => ({ value: v, label: t(`program.rewards.type.${v}`) }))}
                />
              </div>
            </FormLayout.Group>
            <FormLayout.Group>
              <Field
                name="pointsCost"
                type="number"
                label={t("program.rewards.cost")}
                defaultValue={reward?.pointsCost}
                errors={errors}
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
              {type === "FREE_PRODUCT" && (
                <Field
                  name="productVariantId"
                  label={t("program.rewards.variant")}
                  helpText="gid://shopify/ProductVariant/…"
                  defaultValue={reward?.productVariantId}
                  errors={errors}
                />
              )}
            </FormLayout.Group>
            <FormLayout.Group>
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
                defaultValue={reward?.codeExpiryDays}
                errors={errors}
              />
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
            </FormLayout.Group>
            <CheckboxField
              name="enabled"
              label={t("program.rewards.enabled")}
              defaultChecked={reward?.enabled ?? true}
            />
          </FormLayout>
          <InlineStack gap="200" align="end">
            {reward && <DeleteButton intent="deleteReward" id={reward.id} />}
            <Button submit variant="primary">
              {reward ? t("program.save") : t("program.rewards.add")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

type TierRow = ReturnType<typeof useLoaderData<typeof loader>>["tiers"][number];

function TierForm({ tier }: { tier?: TierRow }) {
  const t = useT();
  const { settings, currency } = useLoaderData<typeof loader>();
  const formId = tier?.id ?? "newTier";
  const errors = useErrors(formId);
  return (
    <Card>
      <Form method="post" data-save-bar data-discard-confirmation>
        <input type="hidden" name="intent" value="saveTier" />
        <input type="hidden" name="formId" value={formId} />
        {tier && <input type="hidden" name="id" value={tier.id} />}
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            {tier ? tier.name : t("program.tiers.new")}
          </Text>
          <FormStatus formId={formId} />
          <FormLayout>
            <FormLayout.Group>
              <Field name="name" label={t("program.tiers.name")} defaultValue={tier?.name} errors={errors} />
              <Field
                name="threshold"
                label={t(`program.tiers.threshold.${settings.tierMetric}`)}
                suffix={settings.tierMetric === "SPEND" ? currency : undefined}
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
            <CheckboxField
              name="freeShipping"
              label={t("program.tiers.freeShipping")}
              defaultChecked={tier?.freeShipping}
            />
            <CheckboxField
              name="earlyAccess"
              label={t("program.tiers.earlyAccess")}
              defaultChecked={tier?.earlyAccess}
              helpText={t("program.tiers.earlyAccessHelp")}
            />
          </FormLayout>
          <InlineStack gap="200" align="end">
            {tier && <DeleteButton intent="deleteTier" id={tier.id} />}
            <Button submit variant="primary">
              {tier ? t("program.save") : t("program.tiers.add")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function Campaigns() {
  const t = useT();
  const locale = useLocale();
  const { campaigns } = useLoaderData<typeof loader>();
  const errors = useErrors("newCampaign");
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
  return (
    <BlockStack gap="400">
      {campaigns.length === 0 ? (
        <Card>
          <Text as="p" tone="subdued">
            {t("program.campaigns.empty")}
          </Text>
        </Card>
      ) : (
        campaigns.map((c) => (
          <Card key={c.id}>
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p">
                {t("program.campaigns.row", {
                  name: c.name,
                  multiplier: c.multiplier,
                  from: date(c.startsAt),
                  to: date(new Date(new Date(c.endsAt).getTime() - 1).toISOString()),
                })}
              </Text>
              <DeleteButton intent="deleteCampaign" id={c.id} />
            </InlineStack>
          </Card>
        ))
      )}
      <Card>
        <Form method="post">
          <input type="hidden" name="intent" value="saveCampaign" />
          <input type="hidden" name="formId" value="newCampaign" />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {t("program.campaigns.new")}
            </Text>
            <FormStatus formId="newCampaign" />
            <FormLayout>
              <FormLayout.Group>
                <Field name="name" label={t("program.campaigns.name")} errors={errors} />
                <Field
                  name="multiplier"
                  label={t("program.tiers.multiplier")}
                  suffix="×"
                  defaultValue="2"
                  errors={errors}
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <Field name="startsAt" type="date" label={t("program.campaigns.from")} errors={errors} />
                <Field name="endsAt" type="date" label={t("program.campaigns.to")} errors={errors} />
              </FormLayout.Group>
            </FormLayout>
            <InlineStack align="end">
              <Button submit variant="primary">
                {t("program.campaigns.add")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </Card>
    </BlockStack>
  );
}

export default function Program() {
  const t = useT();
  const { rewards, tiers, earnRate } = useLoaderData<typeof loader>();
  const [tab, setTab] = useState(0);
  const tabs = [
    { id: "earning", content: t("program.tab.earning") },
    { id: "rewards", content: t("program.tab.rewards") },
    { id: "tiers", content: t("program.tab.tiers") },
    { id: "campaigns", content: t("program.tab.campaigns") },
  ];
  return (
    <Page title={t("program.title")} subtitle={t("program.subtitle", { rate: earnRate })}>
      <Layout>
        <Layout.Section>
          <Tabs tabs={tabs} selected={tab} onSelect={setTab} />
          <Box paddingBlockStart="400">
            {tab === 0 && <EarningForm />}
            {tab === 1 && (
              <BlockStack gap="400">
                {rewards.length === 0 && <Banner tone="info">{t("program.rewards.empty")}</Banner>}
                {rewards.map((reward) => (
                  <RewardForm key={reward.id} reward={reward} />
                ))}
                <RewardForm key={`new-${rewards.length}`} />
              </BlockStack>
            )}
            {tab === 2 && (
              <BlockStack gap="400">
                {tiers.length === 0 ? (
                  <Banner tone="info">{t("program.tiers.empty")}</Banner>
                ) : (
                  <Text as="p" tone="subdued">
                    {t("program.tiers.howOrdersEarn")}
                  </Text>
                )}
                {tiers.map((tier) => (
                  <TierForm key={tier.id} tier={tier} />
                ))}
                <TierForm key={`new-${tiers.length}`} />
              </BlockStack>
            )}
            {tab === 3 && <Campaigns />}
          </Box>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
