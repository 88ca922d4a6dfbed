import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, List, Page, Select, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { localizedName, programLanguage } from "../domain/localized";
import { formatMoney } from "../domain/money";
import { parsePeriodDays, PERIOD_DAYS, periodsFor } from "../domain/periods";
import { friendRewardOf, referralReport } from "../services/admin/referrals";
import { adminContext } from "../shopify/admin-context.server";
import { useT } from "../components/locale";
import { TableCard } from "../components/table-card";
import { Figure } from "../components/figure";
import { PageError } from "../components/page-error";

/** Referrals: what members' links brought in a period, who brought it, the rewards on both sides, and the rules against abuse. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const days = parsePeriodDays(new URL(request.url).searchParams.get("days"));
  const { current } = periodsFor(days, new Date(), shop.timezone);
  const report = await referralReport(prisma, shop, current.from, current.to);
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const friendReward = await friendRewardOf(prisma, shop);
  const money = (minor: bigint) => formatMoney(minor, shop.currency, locale);
  return {
    days,
    figures: {
      clicks: report.clicks,
      signups: report.signups,
      orders: report.orders,
      revenue: money(report.revenueMinor),
      rejected: report.rejected,
    },
    advocates: report.advocates.map((a) => ({
      memberId: a.memberId,
      who: a.name ?? a.email ?? a.memberId.slice(0, 8),
      email: a.name ? a.email : null,
      signups: a.signups,
      orders: a.orders,
      revenue: money(a.revenueMinor),
    })),
    advocatePoints: shop.rules.get("REFERRAL")?.points ?? null,
    friendReward: friendReward
      ? {
          id: friendReward.id,
          name: localizedName(friendReward.name, friendReward.names, language),
          enabled: friendReward.enabled,
        }
      : null,
  };
};

export default function Referrals() {
  const { days, figures, advocates, advocatePoints, friendReward } = useLoaderData<typeof loader>();
  const t = useT();
  const [, setSearchParams] = useSearchParams();
  const number = (n: number) => t("referrals.number", { count: n });
  return (
    <Page title={t("referrals.title")} subtitle={t("referrals.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <div style={{ maxWidth: 240 }}>
              <Select
                label={t("dashboard.period")}
                options={PERIOD_DAYS.map((d) => ({
                  value: String(d),
                  label: t("dashboard.period.days", { count: d }),
                }))}
                value={String(days)}
                onChange={(value) => setSearchParams({ days: value })}
              />
            </div>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
              <Figure title={t("referrals.clicks")} value={number(figures.clicks)} help={t("referrals.clicks.help")} />
              <Figure
                title={t("referrals.signups")}
                value={number(figures.signups)}
                help={t("referrals.signups.help")}
              />
              <Figure title={t("referrals.orders")} value={number(figures.orders)} help={t("referrals.orders.help")} />
              <Figure title={t("referrals.revenue")} value={figures.revenue} help={t("referrals.revenue.help")} />
              <Figure
                title={t("referrals.rejected")}
                value={number(figures.rejected)}
                help={t("referrals.rejected.help")}
              />
            </InlineGrid>
            <TableCard
              title={t("referrals.advocates")}
              empty={t("referrals.advocates.empty")}
              columnContentTypes={["text", "numeric", "numeric", "numeric"]}
              headings={[
                t("referrals.advocate"),
                t("referrals.signups"),
                t("referrals.orders"),
                t("referrals.revenue"),
              ]}
              rows={advocates.map((a) => [
                <Link key={a.memberId} to={`/app/members/${a.memberId}`}>
                  {a.who}
                </Link>,
                number(a.signups),
                number(a.orders),
                a.revenue,
              ])}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("referrals.rewards")}
                </Text>
                <Text as="p">
                  {advocatePoints === null
                    ? t("referrals.advocate.none")
                    : t("referrals.advocate.points", { count: advocatePoints })}{" "}
                  <Link to="/app/program">{t("referrals.edit")}</Link>
                </Text>
                <Text as="p">
                  {friendReward ? (
                    <>
                      {t(friendReward.enabled ? "referrals.friend.reward" : "referrals.friend.disabled", {
                        reward: friendReward.name,
                      })}{" "}
                      <Link to={`/app/rewards/${friendReward.id}`}>{t("referrals.edit")}</Link>
                    </>
                  ) : (
                    <>
                      {t("referrals.friend.none")} <Link to="/app/rewards">{t("referrals.edit")}</Link>
                    </>
                  )}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("referrals.rules")}
                </Text>
                <List>
                  <List.Item>{t("referrals.rule.self")}</List.Item>
                  <List.Item>{t("referrals.rule.first")}</List.Item>
                  <List.Item>{t("referrals.rule.once")}</List.Item>
                  <List.Item>{t("referrals.rule.free")}</List.Item>
                  <List.Item>{t("referrals.rule.reverse")}</List.Item>
                  <List.Item>{t("referrals.rule.code")}</List.Item>
                </List>
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
