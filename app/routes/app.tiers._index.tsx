import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  ResourceItem,
  ResourceList,
  Select,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { formatMoney } from "../domain/money";
import { localizedName, programLanguage } from "../domain/localized";
import { TierMetric, TierWindow } from "../generated/prisma/enums";
import type { MessageKey } from "../i18n";
import { membersByTier, saveTierSettings, tierEvaluationProgress } from "../services/admin/tiers";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { CheckboxField, Field, SelectField } from "../components/fields";
import { FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useLocale, useT } from "../components/locale";
import { useRefreshWhile } from "../components/refresh-while";
import { PageError } from "../components/page-error";

/**
 * VIP tiers: how they qualify (metric, window, grace) and the list of tiers, each opening
 * its own page. A change re-evaluates every member in the background; the progress of the
 * last run shows here and refreshes until it is done.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const s = shop.settings;
  const language = programLanguage(locale, s.languages, s.defaultLanguage);
  const [progress, counts] = await Promise.all([tierEvaluationProgress(prisma, shop.id), membersByTier(prisma, shop)]);
  return {
    currency: shop.currency,
    settings: {
      tierMetric: s.tierMetric,
      tierWindow: s.tierWindow,
      tierGraceDays: s.tierGraceDays,
      tierCountsHistory: s.tierCountsHistory,
    },
    tiers: shop.tiers.map((t) => ({
      id: t.id,
      name: localizedName(t.name, t.names, language),
      threshold:
        s.tierMetric === "SPEND" ? formatMoney(t.threshold, shop.currency, locale) : t.threshold.toLocaleString(locale),
      multiplier: t.multiplierBp / 10_000,
      freeShipping: t.freeShipping,
      earlyAccess: t.earlyAccess,
      customPerk: t.customPerk,
      members: counts.get(t.id) ?? 0,
    })),
    progress: progress && {
      status: progress.status,
      total: progress.total,
      done: progress.done,
      startedAt: progress.startedAt.toISOString(),
      finishedAt: progress.finishedAt?.toISOString() ?? null,
      details: progress.details as Record<string, number> | null,
    },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  return adminAction(() => saveTierSettings(prisma, shop, form, actor), { echo: { formId: "tierSettings" } });
};

function Progress() {
  const t = useT();
  const locale = useLocale();
  const { progress } = useLoaderData<typeof loader>();
  const running = progress?.status === "RUNNING";
  useRefreshWhile(running);
  if (!progress) return null;
  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  if (running) {
    const share = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingSm">
            {progress.total
              ? t("tiers.progress.running", { done: progress.done, total: progress.total })
              : t("tiers.progress.queued")}
          </Text>
          <ProgressBar progress={share} size="small" />
        </BlockStack>
      </Card>
    );
  }
  return (
    <Banner tone={progress.status === "DONE" ? "success" : "critical"}>
      {progress.status === "DONE"
        ? t("tiers.progress.done", {
            date: time(progress.finishedAt ?? progress.startedAt),
            count: progress.total,
            upgraded: progress.details?.upgraded ?? 0,
            scheduled: progress.details?.downgradeScheduled ?? 0,
          })
        : t("tiers.progress.failed")}
    </Banner>
  );
}

function SettingsCard() {
  const t = useT();
  const { settings, tiers, currency } = useLoaderData<typeof loader>();
  const errors = useErrors("tierSettings");
  const [metric, setMetric] = useState<string>(settings.tierMetric);
  const changed = metric !== settings.tierMetric;
  return (
    <Card>
      <GuardedForm>
        <input type="hidden" name="formId" value="tierSettings" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("tiers.settings")}
          </Text>
          <FormStatus formId="tierSettings" />
          <FormLayout>
            <FormLayout.Group>
              <Select
                name="tierMetric"
                label={t("program.tiers.metric")}
                value={metric}
                onChange={setMetric}
                options={Object.values(TierMetric).map((v) => ({ value: v, label: t(`program.tiers.metric.${v}`) }))}
              />
              <SelectField
                name="tierWindow"
                label={t("program.tiers.window")}
                defaultValue={settings.tierWindow}
                options={Object.values(TierWindow).map((v) => ({ value: v, label: t(`program.tiers.window.${v}`) }))}
              />
              <Field
                name="tierGraceDays"
                type="number"
                label={t("program.tiers.grace")}
                helpText={t("tiers.graceHelp")}
                defaultValue={settings.tierGraceDays}
                errors={errors}
              />
            </FormLayout.Group>
            <CheckboxField
              name="tierCountsHistory"
              label={t("tiers.countsHistory")}
              helpText={t("tiers.countsHistoryHelp")}
              defaultChecked={settings.tierCountsHistory}
            />
            {changed && tiers.length > 0 && (
              <BlockStack gap="300">
                <Banner tone="warning">{t("tiers.metricChanged")}</Banner>
                <FormLayout.Group condensed>
                  {tiers.map((tier) => (
                    <Field
                      key={`${tier.id}-${metric}`}
                      name={`threshold_${tier.id}`}
                      label={t(`program.tiers.threshold.${metric}` as MessageKey) + ` · ${tier.name}`}
                      suffix={metric === "SPEND" ? currency : undefined}
                      errors={errors}
                    />
                  ))}
                </FormLayout.Group>
              </BlockStack>
            )}
          </FormLayout>
          <SaveButton formId="tierSettings" />
        </BlockStack>
      </GuardedForm>
    </Card>
  );
}

export default function Tiers() {
  const t = useT();
  const navigate = useNavigate();
  const { tiers, settings } = useLoaderData<typeof loader>();
  return (
    <Page
      title={t("tiers.title")}
      primaryAction={{
        content: t("program.tiers.add"),
        onAction: () => navigate("/app/tiers/new"),
        disabled: tiers.length >= 10,
      }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Progress />
            <Card padding="0">
              {tiers.length === 0 ? (
                <EmptyState
                  heading={t("program.tiers.empty")}
                  action={{ content: t("program.tiers.add"), onAction: () => navigate("/app/tiers/new") }}
                  image=""
                >
                  <p>{t("program.tiers.howOrdersEarn")}</p>
                </EmptyState>
              ) : (
                <ResourceList
                  items={tiers}
                  resourceName={{ singular: t("tiers.singular"), plural: t("tiers.plural") }}
                  renderItem={(tier) => (
                    <ResourceItem id={tier.id} url={`/app/tiers/${tier.id}`} accessibilityLabel={tier.name}>
                      <InlineStack align="space-between" blockAlign="center" gap="300">
                        <BlockStack gap="100">
                          <Text as="h3" variant="bodyMd" fontWeight="semibold">
                            {tier.name}
                          </Text>
                          <Text as="p" tone="subdued">
                            {[
                              t(`tiers.from.${settings.tierMetric}` as MessageKey, { value: tier.threshold }),
                              tier.multiplier !== 1 ? t("tiers.multiplier", { multiplier: tier.multiplier }) : null,
                              tier.freeShipping ? t("program.tiers.freeShipping") : null,
                              tier.earlyAccess ? t("program.tiers.earlyAccess") : null,
                              tier.customPerk,
                            ]
                              .filter(Boolean)
                              .join(" · ")}
                          </Text>
                        </BlockStack>
                        <Badge>{t("tiers.members", { count: tier.members })}</Badge>
                      </InlineStack>
                    </ResourceItem>
                  )}
                />
              )}
            </Card>
            <SettingsCard />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
