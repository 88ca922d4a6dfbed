import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  ResourceItem,
  ResourceList,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { localizedName, programLanguage } from "../domain/localized";
import { deleteReward, rewardCatalogue, saveLadderTier } from "../services/admin/rewards";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { Field, SelectField } from "../components/fields";
import { DeleteButton, FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { useRewardSummary } from "../components/reward-summary";
import { requestShopifySync } from "../shopify/customer-sync.server";

/**
 * The reward catalogue in lists, one row per reward with what it gives, what it costs
 * and how many were issued; each opens its own page. The order ladder, birthday gifts and
 * the referred friend's reward are here too.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const catalogue = await rewardCatalogue(prisma, shop);
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const tiers = shop.tiers.map((t) => ({ id: t.id, name: localizedName(t.name, t.names, language) }));
  const row = (r: (typeof catalogue)[number]) => ({
    id: r.id,
    name: localizedName(r.name, r.names, language),
    type: r.type,
    trigger: r.trigger,
    ladderOrderCount: r.ladderOrderCount,
    cost: r.pointsCost,
    valueMinor: r.valueMinor,
    valuePercentBp: r.valuePercentBp,
    minOrderMinor: r.minOrderMinor,
    codeExpiryDays: r.codeExpiryDays,
    limitPerMember: r.limitPerMember,
    tier: tiers.find((t) => t.id === r.tierId)?.name ?? null,
    enabled: r.enabled,
    issued: r.issued,
  });
  return {
    currency: shop.currency,
    tiers,
    points: catalogue.filter((r) => r.trigger === "POINTS").map(row),
    ladder: catalogue.filter((r) => r.trigger === "ORDER_LADDER").map(row),
    gifts: catalogue.filter((r) => r.trigger === "BIRTHDAY_GIFT").map(row),
    friend: catalogue.filter((r) => r.trigger === "REFERRAL_FRIEND").map(row)[0] ?? null,
    ladderVip: {
      tierId: shop.settings.ladderVipTierId ?? "",
      orders: shop.settings.ladderVipOrders ?? 3,
    },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  return adminAction(
    async () => {
      if (form.intent === "deleteReward") return deleteReward(prisma, shop, form.id ?? "", actor);
      if (form.intent === "ladderTier") return saveLadderTier(prisma, shop, form, actor);
      throw new Response("Unknown action", { status: 400 });
    },
    { echo: { formId: form.formId ?? "" }, onSuccess: () => void requestShopifySync(shop.id) },
  );
};

type Row = ReturnType<typeof useLoaderData<typeof loader>>["points"][number];

function RewardRows({ rows, showCost }: { rows: Row[]; showCost: boolean }) {
  const t = useT();
  const { currency } = useLoaderData<typeof loader>();
  const summary = useRewardSummary(currency);
  return (
    <ResourceList
      items={rows}
      resourceName={{ singular: t("rewards.singular"), plural: t("rewards.plural") }}
      renderItem={(reward) => (
        <ResourceItem id={reward.id} url={`/app/rewards/${reward.id}`} accessibilityLabel={reward.name}>
          <InlineStack align="space-between" blockAlign="center" wrap={false} gap="300">
            <BlockStack gap="100">
              <Text as="h3" variant="bodyMd" fontWeight="semibold">
                {reward.name}
              </Text>
              <Text as="p" tone="subdued">
                {summary(reward)}
                {reward.tier ? ` · ${t("rewards.tierOnly", { tier: reward.tier })}` : ""}
                {reward.limitPerMember ? ` · ${t("rewards.limit", { count: reward.limitPerMember })}` : ""}
              </Text>
            </BlockStack>
            <InlineStack gap="300" blockAlign="center" wrap={false}>
              {showCost && <Text as="span">{t("rewards.cost", { count: reward.cost })}</Text>}
              <Text as="span" tone="subdued">
                {t("rewards.issued", { count: reward.issued })}
              </Text>
              <Badge tone={reward.enabled ? "success" : undefined}>
                {t(reward.enabled ? "program.rewards.on" : "program.rewards.off")}
              </Badge>
            </InlineStack>
          </InlineStack>
        </ResourceItem>
      )}
    />
  );
}

function LadderCard() {
  const t = useT();
  const navigate = useNavigate();
  const { ladder, tiers, ladderVip, currency } = useLoaderData<typeof loader>();
  const summary = useRewardSummary(currency);
  const errors = useErrors("ladderTier");
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd" id="ladder">
            {t("rewards.ladder.heading")}
          </Text>
          <Text as="p" tone="subdued">
            {t("rewards.ladder.help")}
          </Text>
        </BlockStack>
        {[1, 2].map((step) => {
          const reward = ladder.find((r) => r.ladderOrderCount === step);
          return (
            <InlineStack key={step} align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  {t(`rewards.ladder.step${step}` as "rewards.ladder.step1")}
                </Text>
                <Text as="p" tone={reward ? undefined : "subdued"}>
                  {reward ? `${reward.name} · ${summary(reward)}` : t("rewards.ladder.none")}
                </Text>
              </BlockStack>
              <InlineStack gap="200">
                {reward ? (
                  <>
                    <Button onClick={() => navigate(`/app/rewards/${reward.id}`)}>{t("rewards.edit")}</Button>
                    <DeleteButton intent="deleteReward" id={reward.id} label={t("rewards.remove")} />
                  </>
                ) : (
                  <Button onClick={() => navigate(`/app/rewards/new?trigger=ORDER_LADDER&step=${step}`)}>
                    {t("rewards.ladder.add")}
                  </Button>
                )}
              </InlineStack>
            </InlineStack>
          );
        })}
        <GuardedForm>
          <input type="hidden" name="intent" value="ladderTier" />
          <input type="hidden" name="formId" value="ladderTier" />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {t("rewards.ladder.vip")}
            </Text>
            <FormStatus formId="ladderTier" />
            <FormLayout>
              <FormLayout.Group>
                <SelectField
                  name="ladderVipTierId"
                  label={t("rewards.ladder.vipTier")}
                  defaultValue={ladderVip.tierId}
                  errors={errors}
                  options={[
                    { value: "", label: t("rewards.ladder.vipOff") },
                    ...tiers.map((x) => ({ value: x.id, label: x.name })),
                  ]}
                />
                <Field
                  name="ladderVipOrders"
                  type="number"
                  label={t("rewards.ladder.vipOrders")}
                  defaultValue={ladderVip.orders}
                  errors={errors}
                />
              </FormLayout.Group>
            </FormLayout>
            <SaveButton formId="ladderTier" />
          </BlockStack>
        </GuardedForm>
      </BlockStack>
    </Card>
  );
}

export default function Rewards() {
  const t = useT();
  const navigate = useNavigate();
  const { points, gifts, friend, currency } = useLoaderData<typeof loader>();
  const summary = useRewardSummary(currency);
  return (
    <Page
      title={t("rewards.title")}
      primaryAction={{ content: t("rewards.add"), onAction: () => navigate("/app/rewards/new?trigger=POINTS") }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <FormStatus formId="" />
            <Card padding="0">
              {points.length === 0 ? (
                <EmptyState
                  heading={t("rewards.empty.heading")}
                  action={{ content: t("rewards.add"), onAction: () => navigate("/app/rewards/new?trigger=POINTS") }}
                  image=""
                >
                  <p>{t("rewards.empty.body")}</p>
                </EmptyState>
              ) : (
                <RewardRows rows={points} showCost />
              )}
            </Card>
            <LadderCard />
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd" id="birthday">
                    {t("rewards.gifts.heading")}
                  </Text>
                  <Button
                    onClick={() => navigate("/app/rewards/new?trigger=BIRTHDAY_GIFT")}
                    disabled={gifts.length >= 3}
                  >
                    {t("rewards.gifts.add")}
                  </Button>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {t("rewards.gifts.help")}
                </Text>
              </BlockStack>
            </Card>
            {gifts.length > 0 && (
              <Card padding="0">
                <RewardRows rows={gifts} showCost={false} />
              </Card>
            )}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd" id="referral">
                  {t("rewards.friend.heading")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("rewards.friend.help")}
                </Text>
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="p" tone={friend ? undefined : "subdued"}>
                    {friend ? `${friend.name} · ${summary(friend)}` : t("rewards.friend.none")}
                  </Text>
                  <Button
                    onClick={() =>
                      navigate(friend ? `/app/rewards/${friend.id}` : "/app/rewards/new?trigger=REFERRAL_FRIEND")
                    }
                  >
                    {friend ? t("rewards.edit") : t("rewards.friend.add")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
