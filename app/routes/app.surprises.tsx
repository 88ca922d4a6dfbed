import { useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { localizedName, programLanguage } from "../domain/localized";
import { formatMoney } from "../domain/money";
import { SCORE_BANDS } from "../domain/messages";
import { adminAction, formFields } from "../http/admin-actions";
import { FormErrors } from "../services/admin/forms";
import { rewardChoices } from "../services/admin/messages";
import {
  cancelSurprise,
  countSegment,
  createSurprise,
  parseSegment,
  requestSurprise,
  surpriseHistory,
} from "../services/surprises";
import { adminContext } from "../shopify/admin-context.server";
import { Field, SelectField } from "../components/fields";
import { FormStatus, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useLocale, useT } from "../components/locale";
import { useRefreshWhile } from "../components/refresh-while";
import { PageError } from "../components/page-error";
import type { MessageKey } from "../i18n";

/**
 * Surprise and delight: points or a reward code for one member or a segment, with a
 * note; the reach is shown before sending, the run has a progress bar and can be
 * cancelled, and past campaigns show what followed against their holdout.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const [history, rewards] = await Promise.all([surpriseHistory(prisma, shop.id), rewardChoices(prisma, shop.id)]);
  const money = (minor: bigint) => formatMoney(minor, shop.currency, locale);
  return {
    tiers: shop.tiers.map((t) => ({ id: t.id, name: localizedName(t.name, t.names, language) })),
    rewards,
    history: history.map((c) => ({
      id: c.id,
      at: c.createdAt.toISOString(),
      reason: c.reason,
      message: c.message,
      status: c.status,
      total: c.total,
      done: c.done,
      gift: { points: c.points, reward: c.rewardId ? (rewards.find((r) => r.id === c.rewardId)?.name ?? "—") : null },
      recipients: { ...c.recipients, revenue: money(c.recipients.revenueMinor) },
      holdout: { ...c.holdout, revenue: money(c.holdout.revenueMinor) },
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  if (form.intent === "preview") {
    const errors = new FormErrors();
    const segment = parseSegment(form, errors);
    return adminAction(
      async () => {
        errors.throwIfAny();
        return { reach: await countSegment(prisma, shop, segment!) };
      },
      { echo: { formId: "preview" } },
    );
  }
  if (form.intent === "cancel")
    return adminAction(() => cancelSurprise(prisma, shop.id, form.id ?? "", actor), { echo: { formId: "cancel" } });
  return adminAction(
    async () => {
      const campaign = await createSurprise(prisma, shop, form, actor);
      void requestSurprise(campaign.id);
      return { id: campaign.id, total: campaign.total };
    },
    { echo: { formId: "surprise" } },
  );
};

function NewSurprise() {
  const t = useT();
  const { tiers, rewards } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const member = params.get("member") ?? "";
  const errors = useErrors("surprise");
  const preview = useFetcher<{ ok: boolean; result?: { reach: number } }>();
  const [gift, setGift] = useState("points");
  const anchor = useRef<HTMLDivElement>(null);
  return (
    <GuardedForm>
      <input type="hidden" name="formId" value="surprise" />
      <BlockStack gap="400">
        <FormStatus formId="surprise" success="surprises.started" />
        <Text as="h2" variant="headingMd">
          {t("surprises.who")}
        </Text>
        {member ? (
          <>
            <input type="hidden" name="memberId" value={member} />
            <Banner tone="info">{t("surprises.oneMember")}</Banner>
          </>
        ) : (
          <FormLayout>
            <FormLayout.Group>
              <SelectField
                name="tierId"
                label={t("feedback.tier")}
                options={[
                  { value: "", label: t("feedback.allTiers") },
                  ...tiers.map((x) => ({ value: x.id, label: x.name })),
                ]}
                errors={errors}
              />
              <SelectField
                name="npsBand"
                label={t("surprises.npsBand")}
                options={[
                  { value: "", label: t("feedback.allScores") },
                  ...SCORE_BANDS.map((band) => ({ value: band, label: t(`feedback.band.${band}` as MessageKey) })),
                ]}
                errors={errors}
              />
              <Field name="dormantDays" type="number" label={t("surprises.dormantDays")} errors={errors} />
            </FormLayout.Group>
            <FormLayout.Group>
              <Field name="balanceMin" type="number" label={t("surprises.balanceMin")} errors={errors} />
              <Field name="balanceMax" type="number" label={t("surprises.balanceMax")} errors={errors} />
              <Field name="joinedFrom" type="date" label={t("surprises.joinedFrom")} errors={errors} />
              <Field name="joinedTo" type="date" label={t("surprises.joinedTo")} errors={errors} />
            </FormLayout.Group>
            <Field
              name="productId"
              label={t("surprises.product")}
              helpText={t("surprises.productHelp")}
              errors={errors}
            />
          </FormLayout>
        )}
        <div ref={anchor} />
        <InlineStack gap="200" blockAlign="center">
          <Button
            onClick={() => {
              const form = anchor.current?.closest("form");
              if (form) {
                const data = new FormData(form);
                data.set("intent", "preview");
                preview.submit(data, { method: "post" });
              }
            }}
            loading={preview.state !== "idle"}
          >
            {t("surprises.preview")}
          </Button>
          {preview.data?.ok && preview.data.result && (
            <Text as="span" fontWeight="semibold">
              {t("surprises.reach", { count: preview.data.result.reach })}
            </Text>
          )}
        </InlineStack>
        <Text as="h2" variant="headingMd">
          {t("surprises.what")}
        </Text>
        <FormLayout>
          <FormLayout.Group>
            <Select
              name="gift"
              label={t("surprises.gift")}
              options={[
                { value: "points", label: t("surprises.giftPoints") },
                { value: "reward", label: t("surprises.giftReward") },
              ]}
              value={gift}
              onChange={setGift}
            />
            {gift === "points" ? (
              <Field name="points" type="number" label={t("surprises.points")} errors={errors} />
            ) : (
              <SelectField
                name="rewardId"
                label={t("surprises.reward")}
                options={[{ value: "", label: "—" }, ...rewards.map((r) => ({ value: r.id, label: r.name }))]}
                errors={errors}
              />
            )}
            <Field
              name="holdoutPercent"
              type="number"
              label={t("surprises.holdout")}
              helpText={t("surprises.holdoutHelp")}
              defaultValue="10"
              errors={errors}
            />
          </FormLayout.Group>
          <Field name="message" label={t("surprises.message")} helpText={t("surprises.messageHelp")} errors={errors} />
          <Field
            name="reason"
            label={t("surprises.reason")}
            defaultValue={params.get("reason") ?? ""}
            errors={errors}
          />
        </FormLayout>
        <InlineStack align="end">
          <Button submit variant="primary">
            {t("surprises.send")}
          </Button>
        </InlineStack>
      </BlockStack>
    </GuardedForm>
  );
}

function History() {
  const t = useT();
  const locale = useLocale();
  const { history } = useLoaderData<typeof loader>();
  const cancel = useFetcher();
  const running = history.some((c) => c.status === "RUNNING");
  useRefreshWhile(running);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const share = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : "—");
  if (history.length === 0)
    return (
      <Text as="p" tone="subdued">
        {t("surprises.empty")}
      </Text>
    );
  return (
    <BlockStack gap="300">
      {history
        .filter((c) => c.status === "RUNNING")
        .map((c) => (
          <BlockStack key={c.id} gap="100">
            <Text as="p">{t("surprises.progress", { done: c.done, total: c.total })}</Text>
            <ProgressBar progress={c.total ? (c.done / c.total) * 100 : 0} />
            <InlineStack>
              <Button
                tone="critical"
                variant="plain"
                onClick={() => cancel.submit({ intent: "cancel", id: c.id }, { method: "post" })}
              >
                {t("surprises.cancel")}
              </Button>
            </InlineStack>
          </BlockStack>
        ))}
      <DataTable
        columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
        headings={[
          t("activity.when"),
          t("surprises.reason"),
          t("surprises.gift"),
          t("surprises.recipients"),
          t("surprises.effect"),
          t("members.status"),
        ]}
        rows={history.map((c) => [
          date.format(new Date(c.at)),
          c.reason,
          c.gift.points ? t("surprises.pointsEach", { points: c.gift.points }) : (c.gift.reward ?? "—"),
          `${c.done} / ${c.total}`,
          t("surprises.effectText", {
            buyers: share(c.recipients.buyers, c.recipients.members),
            revenue: c.recipients.revenue,
            holdout: c.holdout.members ? share(c.holdout.buyers, c.holdout.members) : "—",
          }),
          <Badge key="s" tone={c.status === "DONE" ? "success" : c.status === "RUNNING" ? "info" : undefined}>
            {t(`surprises.status.${c.status}` as MessageKey)}
          </Badge>,
        ])}
      />
    </BlockStack>
  );
}

export default function Surprises() {
  const t = useT();
  return (
    <Page title={t("surprises.title")} subtitle={t("surprises.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <NewSurprise />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("surprises.history")}
              </Text>
              <History />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
