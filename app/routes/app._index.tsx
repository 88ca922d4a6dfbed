import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { lazy } from "react";
import { ClientOnly } from "../components/client-only";
import { describeChange, type Change } from "../components/change";
import { npsReport } from "../services/feedback";
import prisma from "../db.server";
import { bucketTotals, chartBucket, parsePeriodDays, PERIOD_DAYS, periodsFor } from "../domain/periods";
import { loadDashboard, refreshDashboard, requestRollUp, type PeriodFigures } from "../services/analytics";
import { formatMoney } from "../domain/money";
import { adminContext } from "../shopify/admin-context.server";
import { checkThemeEmbed } from "../shopify/theme-embed.server";
import { appEmbedDeepLink } from "../shopify/theme";
import { appConfig } from "../platform/runtime.server";
import { getStarted } from "../domain/get-started";
import { getStartedFacts } from "../services/get-started";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { GetStartedCard } from "../components/get-started";

// Charts draw with the DOM, so their code is fetched by the browser only.
const CountChart = lazy(() => import("../components/dashboard-charts").then((m) => ({ default: m.CountChart })));

/** How long the page waits for Shopify to say whether the app embed is on. */
const EMBED_CHECK_MS = 1500;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale, adminApi } = await adminContext(request);
  // First open: the guided setup, so the program can be live in a minute.
  if (!shop.setupCompleted) throw redirect(`/app/setup${new URL(request.url).search}`);
  // Asked first, so Shopify answers while the figures are read (it never rejects).
  const embed = checkThemeEmbed(shop.domain, () => adminApi({ attempts: 1, timeoutMs: EMBED_CHECK_MS }), {
    timeoutMs: EMBED_CHECK_MS,
  });
  const days = parsePeriodDays(new URL(request.url).searchParams.get("days"));
  const d = await loadDashboard(prisma, shop, days, new Date(), requestRollUp);
  // The loyalty index for the same periods (live: answers are few).
  const { current, previous } = periodsFor(days, new Date(), shop.timezone);
  const [nps, npsBefore, facts, embedCheck] = await Promise.all([
    npsReport(prisma, shop, current.from, current.to),
    npsReport(prisma, shop, previous.from, previous.to),
    getStartedFacts(prisma, shop.id),
    embed,
  ]);
  const money = (minor: bigint) => formatMoney(minor, d.currency, locale);
  const view = (f: PeriodFigures) => ({
    ...f,
    memberCustomers: {
      ...f.memberCustomers,
      revenue: money(f.memberCustomers.revenueMinor),
      revenueMinor: Number(f.memberCustomers.revenueMinor),
    },
    otherCustomers: {
      ...f.otherCustomers,
      revenue: money(f.otherCustomers.revenueMinor),
      revenueMinor: Number(f.otherCustomers.revenueMinor),
    },
    loyaltyOrderRevenue: money(f.loyaltyOrderRevenueMinor),
    loyaltyOrderRevenueMinor: Number(f.loyaltyOrderRevenueMinor),
    aov: {
      members: f.memberCustomers.orders
        ? money(f.memberCustomers.revenueMinor / BigInt(f.memberCustomers.orders))
        : null,
      others: f.otherCustomers.orders ? money(f.otherCustomers.revenueMinor / BigInt(f.otherCustomers.orders)) : null,
    },
  });
  return {
    days,
    computedAt: d.closedDaysAsOf.toISOString(),
    stale: d.stale,
    live: shop.status === "LIVE",
    current: view(d.current),
    previous: view(d.previous),
    outstandingPoints: d.outstandingPoints,
    liability: d.liabilityMinor === null ? null : money(d.liabilityMinor),
    daily: d.daily,
    nps: { current: nps.overall, previous: npsBefore.overall },
    getStarted: {
      ...getStarted({ ...facts, embed: embedCheck.state, live: shop.status === "LIVE" }),
      embedReason: embedCheck.state === "unknown" ? embedCheck.reason : null,
      embedLink: appEmbedDeepLink(shop.domain, appConfig().apiKey),
    },
  };
};

/** "Refresh now": the merchant wants today's figures, not the snapshot's. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await adminContext(request);
  const days = parsePeriodDays(new URL(request.url).searchParams.get("days"));
  await refreshDashboard(prisma, shop, days);
  return { refreshed: true };
};

type Figures = ReturnType<typeof useLoaderData<typeof loader>>["current"];

function ChangeBadge({ change }: { change: Change }) {
  const t = useT();
  const locale = useLocale();
  const moved = describeChange(change, locale);
  if (!moved) return null;
  const amount = moved.unit === "percentPoints" ? t("dashboard.change.pp", { value: moved.amount }) : moved.amount;
  const label = t(moved.up ? "dashboard.change.up" : "dashboard.change.down", { amount });
  return (
    <span title={label}>
      <span aria-hidden="true">
        <Badge tone={moved.good ? "success" : "critical"}>{`${moved.up ? "↑" : "↓"} ${amount}`}</Badge>
      </span>
      <Text as="span" visuallyHidden>
        {label}
      </Text>
    </span>
  );
}

function Metric({
  title,
  value,
  days,
  previous,
  help,
  extra,
  change,
}: {
  title: string;
  value: string;
  /** The period's length, so "the 30 days before" says which side of the comparison it is. */
  days: number;
  previous?: string | null;
  help?: string;
  extra?: string;
  change?: Change;
}) {
  const t = useT();
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="p" variant="headingXl">
            {value}
          </Text>
          {change ? <ChangeBadge change={change} /> : null}
        </InlineStack>
        {previous !== undefined ? (
          <Text as="p" tone="subdued">
            {previous === null
              ? t("dashboard.noPrevious")
              : t("dashboard.vsPrevious", { value: previous, count: days })}
          </Text>
        ) : null}
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
        {extra ? (
          <Text as="p" variant="bodySm">
            {extra}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const signed = (value: number | null) => (value === null ? "—" : value > 0 ? `+${value}` : String(value));
  const { current: c, previous: p } = data;
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = (value: number | null) => (value === null ? t("dashboard.notAvailable") : percent.format(value));
  const rate = (f: Figures, who: "memberCustomers" | "otherCustomers") =>
    f[who].customers ? f[who].repeatCustomers / f[who].customers : null;
  const quiet = c.members === 0 && c.retention.end === 0 && c.pointsIssued === 0;
  const chartFallback = <SkeletonBodyText lines={6} />;
  const bucket = chartBucket(data.days);
  const chart = bucketTotals(data.daily, bucket, ["issued", "redeemed", "expired", "newMembers"] as const);

  return (
    <Page
      title={t("dashboard.title")}
      subtitle={t("dashboard.subtitle")}
      primaryAction={
        <div style={{ minWidth: 200 }}>
          <Select
            label={t("dashboard.period")}
            labelInline
            options={PERIOD_DAYS.map((days) => ({
              label: t("dashboard.period.days", { count: days }),
              value: String(days),
            }))}
            value={String(data.days)}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              next.set("days", value);
              setParams(next);
            }}
          />
        </div>
      }
    >
      <BlockStack gap="400">
        {!data.live ? (
          <Banner tone="warning" action={{ content: t("dashboard.notLive.action"), url: "/app/settings" }}>
            <p>{t("dashboard.notLive")}</p>
          </Banner>
        ) : null}
        {params.get("menu") ? (
          <Banner
            tone={params.get("menu") === "added" ? "success" : "warning"}
            action={params.get("menu") === "added" ? undefined : { content: t("nav.landing"), url: "/app/landing" }}
          >
            <p>
              {t(
                params.get("menu") === "added"
                  ? "setup.landing.added"
                  : params.get("menu") === "scope"
                    ? "landing.menu.scope"
                    : "setup.landing.failed",
              )}
            </p>
          </Banner>
        ) : null}
        <GetStartedCard view={data.getStarted} />
        <InlineStack gap="200" blockAlign="center">
          <Text as="p" tone="subdued">
            {t("dashboard.updated", {
              time: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
                new Date(data.computedAt),
              ),
            })}
            {data.stale ? ` · ${t("dashboard.updating")}` : ""}
          </Text>
          <Form method="post">
            <Button submit variant="plain" loading={navigation.state === "submitting"}>
              {t("dashboard.refresh")}
            </Button>
          </Form>
        </InlineStack>
        {quiet ? (
          <Card>
            <EmptyState
              heading={t("dashboard.empty.heading")}
              image=""
              action={{ content: t("nav.program"), url: "/app/program" }}
            >
              <p>{t("dashboard.empty.body")}</p>
            </EmptyState>
          </Card>
        ) : null}
        <div aria-busy={navigation.state === "loading"} style={{ opacity: navigation.state === "loading" ? 0.6 : 1 }}>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 5 }} gap="400">
              <Metric
                days={data.days}
                title={t("dashboard.members")}
                value={number.format(c.members)}
                previous={number.format(p.members)}
                help={t("dashboard.members.new", { count: c.newMembers })}
                change={{ current: c.members, previous: p.members, unit: "relative" }}
              />
              <Metric
                days={data.days}
                title={t("dashboard.enrollment")}
                value={pct(c.enrollmentRate)}
                previous={p.enrollmentRate === null ? null : pct(p.enrollmentRate)}
                help={t("dashboard.enrollment.help")}
                extra={
                  c.postPurchase.viewed > 0
                    ? t("dashboard.postPurchase", { joined: c.postPurchase.joined, viewed: c.postPurchase.viewed })
                    : undefined
                }
                change={{ current: c.enrollmentRate, previous: p.enrollmentRate, unit: "percentPoints" }}
              />
              <Metric
                days={data.days}
                title={t("dashboard.crr")}
                value={pct(c.retentionRate)}
                previous={p.retentionRate === null ? null : pct(p.retentionRate)}
                help={t("dashboard.crr.help", { end: c.retention.end, new: c.retention.new, start: c.retention.start })}
                change={{ current: c.retentionRate, previous: p.retentionRate, unit: "percentPoints" }}
              />
              <Metric
                days={data.days}
                title={t("dashboard.nps")}
                value={signed(data.nps.current.nps)}
                previous={data.nps.previous.responses ? signed(data.nps.previous.nps) : null}
                help={t("dashboard.nps.help", { count: data.nps.current.responses })}
                change={{
                  current: data.nps.current.nps,
                  previous: data.nps.previous.responses ? data.nps.previous.nps : null,
                  unit: "points",
                }}
              />
              <Metric
                days={data.days}
                title={t("dashboard.loyaltyRevenue")}
                value={c.loyaltyOrderRevenue}
                previous={p.loyaltyOrderRevenue}
                help={t("dashboard.loyaltyRevenue.help", { count: c.loyaltyOrders })}
                change={{ current: c.loyaltyOrderRevenueMinor, previous: p.loyaltyOrderRevenueMinor, unit: "relative" }}
              />
            </InlineGrid>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
              <Metric
                days={data.days}
                title={t("dashboard.points.issued")}
                value={number.format(c.pointsIssued)}
                previous={number.format(p.pointsIssued)}
                change={{ current: c.pointsIssued, previous: p.pointsIssued, unit: "relative" }}
              />
              <Metric
                days={data.days}
                title={t("dashboard.points.redeemed")}
                value={number.format(c.pointsRedeemed)}
                previous={number.format(p.pointsRedeemed)}
                change={{ current: c.pointsRedeemed, previous: p.pointsRedeemed, unit: "relative" }}
                help={`${t("dashboard.redemptionRate")}: ${pct(c.redemptionRate)}`}
              />
              <Metric
                days={data.days}
                title={t("dashboard.points.expired")}
                value={number.format(c.pointsExpired)}
                previous={number.format(p.pointsExpired)}
                change={{ current: c.pointsExpired, previous: p.pointsExpired, unit: "relative", better: "lower" }}
              />
              <Metric
                days={data.days}
                title={t("dashboard.liability")}
                value={data.liability ?? t("dashboard.notAvailable")}
                help={
                  data.liability === null
                    ? t("dashboard.liability.none")
                    : t("dashboard.liability.help", { count: data.outstandingPoints })
                }
              />
            </InlineGrid>
            <Layout>
              <Layout.Section>
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">
                      {t(`dashboard.chart.points.${bucket}`)}
                    </Text>
                    <ClientOnly fallback={chartFallback}>
                      <CountChart
                        locale={locale}
                        label={t(`dashboard.chart.points.${bucket}`)}
                        series={[
                          {
                            name: t("dashboard.points.issued"),
                            data: chart.map((d) => ({ key: d.day, value: d.issued })),
                          },
                          {
                            name: t("dashboard.points.redeemed"),
                            data: chart.map((d) => ({ key: d.day, value: d.redeemed })),
                          },
                          {
                            name: t("dashboard.points.expired"),
                            data: chart.map((d) => ({ key: d.day, value: d.expired })),
                          },
                        ]}
                      />
                    </ClientOnly>
                  </BlockStack>
                </Card>
              </Layout.Section>
              <Layout.Section variant="oneThird">
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("dashboard.chart.repeat")}
                    </Text>
                    <ClientOnly fallback={chartFallback}>
                      <CountChart
                        locale={locale}
                        label={t("dashboard.chart.repeat")}
                        series={[
                          {
                            name: t("dashboard.repeat.members"),
                            data: [
                              {
                                key: t("dashboard.repeat"),
                                value: Math.round((rate(c, "memberCustomers") ?? 0) * 1000) / 10,
                              },
                            ],
                          },
                          {
                            name: t("dashboard.repeat.others"),
                            data: [
                              {
                                key: t("dashboard.repeat"),
                                value: Math.round((rate(c, "otherCustomers") ?? 0) * 1000) / 10,
                              },
                            ],
                          },
                        ]}
                      />
                    </ClientOnly>
                    <Box>
                      <BlockStack gap="200">
                        {[
                          [t("dashboard.repeat"), pct(rate(c, "memberCustomers")), pct(rate(c, "otherCustomers"))],
                          [
                            t("dashboard.aov"),
                            c.aov.members ?? t("dashboard.notAvailable"),
                            c.aov.others ?? t("dashboard.notAvailable"),
                          ],
                          [
                            t("dashboard.frequency"),
                            c.memberCustomers.customers
                              ? number.format(c.memberCustomers.orders / c.memberCustomers.customers)
                              : t("dashboard.notAvailable"),
                            c.otherCustomers.customers
                              ? number.format(c.otherCustomers.orders / c.otherCustomers.customers)
                              : t("dashboard.notAvailable"),
                          ],
                        ].map(([term, members, others]) => (
                          <div key={term}>
                            <Text as="h3" variant="headingSm">
                              {term}
                            </Text>
                            <Text as="p">{t("dashboard.compare", { members: members!, others: others! })}</Text>
                          </div>
                        ))}
                      </BlockStack>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {t("dashboard.repeat.help")}
                      </Text>
                    </Box>
                  </BlockStack>
                </Card>
              </Layout.Section>
              <Layout.Section>
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">
                      {t(`dashboard.chart.members.${bucket}`)}
                    </Text>
                    <ClientOnly fallback={chartFallback}>
                      <CountChart
                        locale={locale}
                        label={t(`dashboard.chart.members.${bucket}`)}
                        series={[
                          {
                            name: t("dashboard.members"),
                            data: chart.map((d) => ({ key: d.day, value: d.newMembers })),
                          },
                        ]}
                      />
                    </ClientOnly>
                    <InlineStack gap="400">
                      <Link to="/app/members">{t("nav.members")}</Link>
                      <Link to="/app/retention">{t("dashboard.deeper")}</Link>
                    </InlineStack>
                  </BlockStack>
                </Card>
              </Layout.Section>
            </Layout>
          </BlockStack>
        </div>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
