import { lazy } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Select,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { localizedName, programLanguage } from "../domain/localized";
import { FEEDBACK_PERIODS, SCORE_BANDS } from "../domain/messages";
import { feedbackFilters, feedbackPage, npsReport, recentDetractors } from "../services/feedback";
import { adminContext } from "../shopify/admin-context.server";
import { ClientOnly } from "../components/client-only";
import { useLocale, useT } from "../components/locale";
import { Figure } from "../components/figure";
import { PageError } from "../components/page-error";
import type { MessageKey } from "../i18n";

const TrendChart = lazy(() => import("../components/dashboard-charts").then((m) => ({ default: m.TrendChart })));

const PERIODS = FEEDBACK_PERIODS;
const BANDS = SCORE_BANDS;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const url = new URL(request.url);
  const { days, filters } = feedbackFilters(url.searchParams);
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const tierName = (id: string | null | undefined) => {
    const tier = shop.tiers.find((t) => t.id === id);
    return tier ? localizedName(tier.name, tier.names, language) : null;
  };
  const [report, responses, detractors] = await Promise.all([
    npsReport(prisma, shop, filters.from, filters.to),
    feedbackPage(prisma, shop.id, filters, {
      after: url.searchParams.get("after"),
      before: url.searchParams.get("before"),
    }),
    recentDetractors(prisma, shop.id, new Date(Date.now() - 7 * 86_400_000)),
  ]);
  return {
    days,
    band: filters.band,
    tier: filters.tierId,
    // The export takes the filters, not the page.
    query: new URLSearchParams([...url.searchParams].filter(([key]) => key !== "after" && key !== "before")).toString(),
    page: { total: responses.total ?? 0, next: responses.next, previous: responses.previous },
    report: { ...report, tiers: report.tiers.map((t) => ({ ...t, name: tierName(t.tierId) ?? "" })) },
    tiers: shop.tiers.map((t) => ({ id: t.id, name: tierName(t.id) ?? t.name })),
    detractors,
    responses: responses.rows.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      score: r.score,
      comment: r.comment,
      order: r.orderId?.toString() ?? null,
      memberId: r.member?.id ?? null,
      who: r.member ? (r.member.firstName ?? r.member.email ?? "—") : null,
      tier: tierName(r.member?.tierId),
    })),
  };
};

export default function Feedback() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const { overall } = data.report;
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    // New filters start from the newest answer.
    if (key !== "after" && key !== "before") {
      next.delete("after");
      next.delete("before");
    }
    setParams(next);
  };
  const go = (key: "after" | "before", cursor: string | null) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    if (cursor) next.set(key, cursor);
    setParams(next);
  };
  const nps = (value: number | null) => (value === null ? "—" : value > 0 ? `+${value}` : String(value));
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  return (
    <Page
      title={t("feedback.title")}
      subtitle={t("feedback.subtitle")}
      secondaryActions={[{ content: t("feedback.export"), url: `/app/feedback/export?${data.query}`, external: true }]}
    >
      <Layout>
        {data.detractors > 0 && (
          <Layout.Section>
            <Banner tone="warning" title={t("feedback.detractorsAlert", { count: data.detractors })}>
              <Link to="/app/feedback?band=detractor&days=30">{t("feedback.seeDetractors")}</Link>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
            <Figure title={t("feedback.nps")} value={nps(overall.nps)} help={t("feedback.npsHelp")} />
            <Figure title={t("feedback.responses")} value={String(overall.responses)} />
            <Figure
              title={t("feedback.members")}
              value={nps(data.report.members.nps)}
              help={t("feedback.count", { count: data.report.members.responses })}
            />
            <Figure
              title={t("feedback.guests")}
              value={nps(data.report.guests.nps)}
              help={t("feedback.count", { count: data.report.guests.responses })}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("feedback.trend")}
              </Text>
              {data.report.weekly.length < 2 ? (
                <Text as="p" tone="subdued">
                  {t("feedback.trendEmpty")}
                </Text>
              ) : (
                <ClientOnly fallback={<SkeletonBodyText lines={5} />}>
                  <TrendChart
                    locale={locale}
                    label={t("feedback.trend")}
                    series={[
                      { name: "NPS", data: data.report.weekly.map((w) => ({ key: w.week, value: w.nps ?? 0 })) },
                    ]}
                  />
                </ClientOnly>
              )}
              {data.report.tiers.length > 0 && (
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric"]}
                  headings={[t("feedback.tier"), t("feedback.nps"), t("feedback.responses")]}
                  rows={data.report.tiers.map((tier) => [tier.name, nps(tier.nps), String(tier.responses)])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="300" wrap>
                <Select
                  label={t("feedback.period")}
                  options={PERIODS.map((d) => ({ value: String(d), label: t("messages.lastDays", { days: d }) }))}
                  value={String(data.days)}
                  onChange={(value) => set("days", value)}
                />
                <Select
                  label={t("feedback.band")}
                  options={[
                    { value: "", label: t("feedback.allScores") },
                    ...BANDS.map((band) => ({ value: band, label: t(`feedback.band.${band}` as MessageKey) })),
                  ]}
                  value={data.band ?? ""}
                  onChange={(value) => set("band", value)}
                />
                <Select
                  label={t("feedback.tier")}
                  options={[
                    { value: "", label: t("feedback.allTiers") },
                    ...data.tiers.map((x) => ({ value: x.id, label: x.name })),
                  ]}
                  value={data.tier ?? ""}
                  onChange={(value) => set("tier", value)}
                />
              </InlineStack>
              {data.responses.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("feedback.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "numeric", "text", "text", "text", "text"]}
                  headings={[
                    t("activity.when"),
                    t("feedback.score"),
                    t("feedback.who"),
                    t("feedback.tier"),
                    t("feedback.comment"),
                    "",
                  ]}
                  rows={data.responses.map((r) => [
                    date.format(new Date(r.at)),
                    String(r.score),
                    r.memberId ? <Link to={`/app/members/${r.memberId}`}>{r.who}</Link> : t("feedback.guest"),
                    r.tier ?? "—",
                    r.comment ?? "—",
                    r.score <= 6 && r.memberId ? (
                      <Link to={`/app/surprises?member=${r.memberId}&reason=${encodeURIComponent(`NPS ${r.score}`)}`}>
                        {t("feedback.surprise")}
                      </Link>
                    ) : (
                      ""
                    ),
                  ])}
                  footerContent={t("feedback.shown", {
                    shown: new Intl.NumberFormat(locale).format(data.responses.length),
                    total: new Intl.NumberFormat(locale).format(data.page.total),
                  })}
                />
              )}
              {(data.page.next || data.page.previous) && (
                <InlineStack align="center">
                  <Pagination
                    hasPrevious={Boolean(data.page.previous)}
                    onPrevious={() => go("before", data.page.previous)}
                    previousTooltip={t("feedback.newer")}
                    hasNext={Boolean(data.page.next)}
                    onNext={() => go("after", data.page.next)}
                    nextTooltip={t("feedback.older")}
                  />
                </InlineStack>
              )}
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
