import { lazy } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Card, InlineGrid, Layout, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { formatMoney } from "../domain/money";
import { SECOND_ORDER_BUCKETS, loadRetention } from "../services/retention";
import { requestRollUp } from "../services/analytics";
import { adminContext } from "../shopify/admin-context.server";
import { ClientOnly } from "../components/client-only";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";

const CountChart = lazy(() => import("../components/dashboard-charts").then((m) => ({ default: m.CountChart })));

/**
 * Retention in depth: monthly cohorts as a heatmap (the numbers in its cells), how long
 * customers take to order a second time, 12-month value of members against others, and
 * repeat rate by whether the first order used a loyalty code.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const { report, computedAt, stale } = await loadRetention(prisma, shop, requestRollUp);
  const { cohorts, second, value, firstOrder } = report;
  const money = (minor: bigint) => formatMoney(minor, shop.currency, locale);
  return {
    computedAt: computedAt.toISOString(),
    stale,
    cohorts,
    second,
    value: {
      members: { ...value.members, revenue: money(value.members.revenueMinor), revenueMinor: undefined },
      others: { ...value.others, revenue: money(value.others.revenueMinor), revenueMinor: undefined },
    },
    firstOrder,
  };
};

/** Light to mid green as the share grows; dark text reads on every shade. */
function shade(share: number): string {
  return `hsl(160 55% ${Math.round(96 - Math.min(1, share * 2) * 34)}%)`;
}

export default function Retention() {
  const t = useT();
  const locale = useLocale();
  const { cohorts, second, value, firstOrder, computedAt, stale } = useLoaderData<typeof loader>();
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(locale);
  const month = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
  const pct = (share: number | null) => (share === null ? "—" : percent.format(share));
  const offsets = cohorts[0]?.returned.map((_, i) => i + 1) ?? [];
  const empty = cohorts.length === 0;
  return (
    <Page
      title={t("retention.title")}
      subtitle={t("retention.subtitle")}
      backAction={{ content: t("nav.home"), url: "/app" }}
    >
      <Layout>
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("retention.asOf", {
              time: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
                new Date(computedAt),
              ),
            })}
            {stale ? ` · ${t("dashboard.updating")}` : ""}
          </Text>
        </Layout.Section>
        {empty ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="p">{t("retention.empty")}</Text>
                <Link to="/app/imports">{t("members.import")}</Link>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("retention.cohorts")}
              </Text>
              <Text as="p" tone="subdued">
                {t("retention.cohortsHelp")}
              </Text>
              {!empty ? (
                <div style={{ overflowX: "auto" }}>
                  <table style={{ borderCollapse: "collapse", fontSize: 13, width: "100%" }}>
                    <caption style={{ textAlign: "start", paddingBottom: 8 }}>{t("retention.cohortsCaption")}</caption>
                    <thead>
                      <tr>
                        <th scope="col" style={{ textAlign: "start", padding: 6 }}>
                          {t("retention.firstOrder")}
                        </th>
                        <th scope="col" style={{ textAlign: "end", padding: 6 }}>
                          {t("retention.customers")}
                        </th>
                        {offsets.map((k) => (
                          <th key={k} scope="col" style={{ textAlign: "center", padding: 6 }}>
                            {t("retention.monthN", { count: k })}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {cohorts.map((cohort) => (
                        <tr key={cohort.month}>
                          <th scope="row" style={{ textAlign: "start", padding: 6, whiteSpace: "nowrap" }}>
                            {month.format(new Date(`${cohort.month}-01T00:00:00Z`))}
                          </th>
                          <td style={{ textAlign: "end", padding: 6 }}>{number.format(cohort.customers)}</td>
                          {cohort.returned.map((share, i) => (
                            <td
                              key={i}
                              style={{
                                textAlign: "center",
                                padding: 6,
                                color: "#1a1a1a",
                                background: share === null ? "transparent" : shade(share),
                              }}
                            >
                              {share === null ? "" : pct(share)}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("retention.second")}
              </Text>
              <Text as="p">
                {second.customers
                  ? t("retention.secondSummary", {
                      returned: second.returned,
                      customers: second.customers,
                      share: pct(second.returned / second.customers),
                      median: second.medianDays ?? "—",
                    })
                  : t("retention.none")}
              </Text>
              {second.returned > 0 ? (
                <ClientOnly fallback={<SkeletonBodyText lines={5} />}>
                  <CountChart
                    locale={locale}
                    label={t("retention.second")}
                    series={[
                      {
                        name: t("retention.customers"),
                        data: second.buckets.map((bucket, i) => ({
                          key:
                            bucket.upTo === null
                              ? t("retention.bucketOver", { days: SECOND_ORDER_BUCKETS.at(-1)! })
                              : t("retention.bucketUpTo", {
                                  from: i === 0 ? 0 : SECOND_ORDER_BUCKETS[i - 1]! + 1,
                                  days: bucket.upTo,
                                }),
                          value: bucket.customers,
                        })),
                      },
                    ]}
                  />
                </ClientOnly>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("retention.value")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("retention.valueHelp")}
                </Text>
                {(["members", "others"] as const).map((side) => (
                  <Box key={side}>
                    <Text as="h3" variant="headingSm">
                      {t(side === "members" ? "dashboard.repeat.members" : "dashboard.repeat.others")}
                    </Text>
                    <Text as="p" variant="headingLg">
                      {value[side].customers ? value[side].revenue : "—"}
                    </Text>
                    <Text as="p" tone="subdued">
                      {t("retention.valueLine", {
                        customers: value[side].customers,
                        repeat: pct(value[side].repeatRate),
                      })}
                    </Text>
                  </Box>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("retention.firstCode")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("retention.firstCodeHelp")}
                </Text>
                {(["withCode", "without"] as const).map((side) => (
                  <Box key={side}>
                    <Text as="h3" variant="headingSm">
                      {t(side === "withCode" ? "retention.withCode" : "retention.withoutCode")}
                    </Text>
                    <Text as="p" variant="headingLg">
                      {pct(firstOrder[side].repeatRate)}
                    </Text>
                    <Text as="p" tone="subdued">
                      {t("retention.ofCustomers", { customers: firstOrder[side].customers })}
                    </Text>
                  </Box>
                ))}
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
