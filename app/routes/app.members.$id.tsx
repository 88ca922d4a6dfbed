import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { translator, type MessageKey } from "../i18n";
import { actorLabel } from "../components/activity-text";
import { formatMoney } from "../domain/money";
import { localizedName, programLanguage } from "../domain/localized";
import { reasonText, tierCauseText } from "../i18n/reasons";
import { isUuid } from "../domain/validation";
import { directory, memberDetail } from "../services/member-admin";
import { adjustPoints, endTierOverride, overrideTier } from "../services/admin/members";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { requestShopifySync } from "../shopify/customer-sync.server";
import { memberMessages } from "../services/admin/messages";
import { MESSAGE_KIND_TEXT } from "../i18n/mail";
import { Field, SelectField } from "../components/fields";
import { useLocale, useT } from "../components/locale";
import { ScrollableTables } from "../components/scrollable-tables";
import { TableCard } from "../components/table-card";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  // Scoped to the authenticated shop: another shop's member id is simply not found.
  const detail = isUuid(params.id) ? await memberDetail(prisma, shop, params.id) : null;
  if (!detail) throw new Response("Member not found", { status: 404 });
  const { member, entries, tierEvents, redemptions, referrals, clicks } = detail;
  const [messages, names] = await Promise.all([
    memberMessages(prisma, shop.id, member.id),
    directory(prisma, shop.id, { actors: entries.map((e) => e.actor) }),
  ]);
  // Who made a manual entry, by name where Shopify told us.
  const t = translator(locale);
  const actorName = (actor: string | null) => (actor ? actorLabel(actor, names.staff, t) : null);
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const tierName = (id: string | null) => {
    const tier = shop.tiers.find((t) => t.id === id);
    return tier ? localizedName(tier.name, tier.names, language) : "—";
  };
  return {
    requestId: randomUUID(),
    member: {
      id: member.id,
      email: member.email,
      name: member.firstName,
      customerId: member.customerId?.toString() ?? null,
      balance: member.balance,
      lifetimeEarned: member.lifetimeEarned,
      tier: tierName(member.tierId),
      tierId: member.tierId ?? "",
      tierOverride: member.tierOverride,
      tierOverrideUntil: member.tierOverrideUntil?.toISOString() ?? null,
      // A downgrade waiting out the grace period (after an override ends, or spend lapses).
      tierDowngradeAfter: member.tierDowngradeAfter?.toISOString() ?? null,
      orders: member.orderCount,
      spent: formatMoney(member.totalSpentMinor, shop.currency, locale),
      enrolledAt: member.enrolledAt.toISOString(),
      status: member.status,
    },
    tiers: shop.tiers.map((t) => ({ id: t.id, name: tierName(t.id) })),
    entries: entries.map((e) => ({
      id: e.id.toString(),
      at: e.createdAt.toISOString(),
      points: e.points,
      kind: e.kind,
      reason: reasonText(locale, e.reasonCode, e.reasonParams, e.reason),
      actor: actorName(e.actor),
    })),
    tierEvents: tierEvents.map((e) => ({
      id: e.id.toString(),
      at: e.createdAt.toISOString(),
      from: tierName(e.fromTierId),
      to: tierName(e.toTierId),
      cause: tierCauseText(locale, e.cause),
    })),
    redemptions: redemptions.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      name: localizedName(
        (r.rewardSnapshot as { name?: string }).name ?? "",
        (r.rewardSnapshot as { names?: unknown }).names,
        language,
      ),
      origin: r.reward?.trigger ?? "POINTS",
      points: r.pointsSpent,
      status: r.status,
      code: r.code,
    })),
    messages: messages.map((m) => ({
      id: m.id,
      at: (m.sentAt ?? m.createdAt).toISOString(),
      kind: m.kind,
      subject: m.subject,
      status: m.status,
      skipReason: m.skipReason,
      opened: Boolean(m.openedAt),
      clicked: Boolean(m.clickedAt),
      unsubscribed: Boolean(m.unsubscribedAt),
    })),
    referrals: {
      clicks,
      list: referrals.map((r) => ({
        id: r.id,
        friend: r.friendEmail,
        status: r.status,
        signedUpAt: r.signedUpAt?.toISOString() ?? null,
        orderedAt: r.orderedAt?.toISOString() ?? null,
        creditedAt: r.creditedAt?.toISOString() ?? null,
        reason: r.rejectReason,
      })),
    },
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  const memberId = isUuid(params.id) ? params.id : "00000000-0000-0000-0000-000000000000";
  return adminAction(
    async () => {
      if (form.intent === "adjust") return (await adjustPoints(prisma, shop, memberId, form, actor)).balance;
      if (form.intent === "override") return overrideTier(prisma, shop, memberId, form, actor);
      if (form.intent === "endOverride") return endTierOverride(prisma, shop, memberId, form, actor);
      throw new Response("Unknown action", { status: 400 });
    },
    // Balance or tier changed: push them to Shopify's customer record soon.
    { echo: { intent: form.intent }, onSuccess: () => void requestShopifySync(shop.id) },
  );
};

type Result = { ok: boolean; intent: string; errors?: Record<string, string> };

export default function MemberPage() {
  const t = useT();
  const locale = useLocale();
  const { member, entries, tierEvents, redemptions, tiers, requestId, referrals, messages } =
    useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const navigation = useNavigation();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const errorsFor = (intent: string) => (result?.intent === intent ? result.errors : undefined);
  const banner = (intent: string) =>
    result?.intent === intent ? (
      result.ok ? (
        <Banner tone="success">{t("program.saved")}</Banner>
      ) : (
        <Banner tone="critical">{t((result.errors?.form ?? "program.fixErrors") as MessageKey)}</Banner>
      )
    ) : null;
  return (
    <Page
      title={member.name || member.email || t("members.anonymous")}
      subtitle={[
        member.email,
        t("members.joinedOn", {
          date: new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(member.enrolledAt)),
        }),
      ]
        .filter(Boolean)
        .join(" · ")}
      backAction={{ content: t("nav.members"), url: "/app/members" }}
      titleMetadata={<Badge tone={member.status === "ACTIVE" ? "success" : undefined}>{member.tier}</Badge>}
      secondaryActions={[
        { content: t("members.surprise"), url: `/app/surprises?member=${member.id}` },
        // App Bridge opens shopify://admin URLs in Shopify admin, around the app's frame.
        ...(member.customerId
          ? [
              {
                content: t("members.inShopify"),
                url: `shopify://admin/customers/${member.customerId}`,
                target: "_top" as const,
              },
            ]
          : []),
      ]}
    >
      <ScrollableTables>
        <Layout>
          <Layout.Section>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
              {[
                [t("members.balance"), new Intl.NumberFormat(locale).format(member.balance), t("members.balanceHelp")],
                [
                  t("members.lifetime"),
                  new Intl.NumberFormat(locale).format(member.lifetimeEarned),
                  t("members.lifetimeHelp"),
                ],
                [t("members.orders"), new Intl.NumberFormat(locale).format(member.orders), null],
                [t("members.spent"), member.spent, null],
              ].map(([label, value, help]) => (
                <Card key={label}>
                  <Text as="p" tone="subdued">
                    {label}
                  </Text>
                  <Text as="p" variant="headingLg">
                    {value}
                  </Text>
                  {help ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {help}
                    </Text>
                  ) : null}
                </Card>
              ))}
            </InlineGrid>
          </Layout.Section>
          <Layout.Section>
            <TableCard
              title={t("members.ledger")}
              empty={t("members.ledger.empty")}
              columnContentTypes={["text", "numeric", "text", "text"]}
              headings={[t("activity.when"), t("members.points"), t("members.kind"), t("members.reason")]}
              rows={entries.map((e) => [
                date.format(new Date(e.at)),
                e.points > 0 ? `+${e.points}` : String(e.points),
                t(`members.kind.${e.kind}`),
                e.reason + (e.actor ? ` (${e.actor})` : ""),
              ])}
            />
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <Form method="post">
                  <input type="hidden" name="intent" value="adjust" />
                  <input type="hidden" name="requestId" value={requestId} />
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("members.adjust")}
                    </Text>
                    {banner("adjust")}
                    <FormLayout>
                      <Field
                        key={`p-${requestId}`}
                        name="points"
                        type="number"
                        label={t("members.adjust.points")}
                        helpText={t("members.adjust.pointsHelp")}
                        errors={errorsFor("adjust")}
                      />
                      <Field
                        key={`r-${requestId}`}
                        name="reason"
                        label={t("members.adjust.reason")}
                        errors={errorsFor("adjust")}
                      />
                    </FormLayout>
                    <InlineStack align="end">
                      <Button submit variant="primary" loading={navigation.formData?.get("intent") === "adjust"}>
                        {t("members.adjust.submit")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Form>
              </Card>
              <Card>
                <Form method="post">
                  <input type="hidden" name="intent" value="override" />
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("members.override")}
                    </Text>
                    {member.tierOverride && (
                      <Text as="p" tone="subdued">
                        {t("members.override.active", {
                          until: member.tierOverrideUntil ? date.format(new Date(member.tierOverrideUntil)) : "∞",
                        })}
                      </Text>
                    )}
                    {!member.tierOverride && member.tierDowngradeAfter && (
                      <Text as="p" tone="subdued">
                        {t("members.override.keepsUntil", {
                          tier: member.tier,
                          date: date.format(new Date(member.tierDowngradeAfter)),
                        })}
                      </Text>
                    )}
                    {banner("override")}
                    <FormLayout>
                      <SelectField
                        name="tierId"
                        defaultValue={member.tierId}
                        label={t("members.override.tier")}
                        options={[
                          { value: "", label: t("members.override.none") },
                          ...tiers.map((tier) => ({ value: tier.id, label: tier.name })),
                        ]}
                        errors={errorsFor("override")}
                      />
                      <Field name="reason" label={t("members.adjust.reason")} errors={errorsFor("override")} />
                      <Field
                        name="until"
                        type="date"
                        label={t("members.override.until")}
                        errors={errorsFor("override")}
                      />
                    </FormLayout>
                    <InlineStack align="end">
                      <Button submit loading={navigation.formData?.get("intent") === "override"}>
                        {t("members.override.submit")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Form>
              </Card>
              {member.tierOverride && (
                <Card>
                  <Form method="post">
                    <input type="hidden" name="intent" value="endOverride" />
                    <BlockStack gap="300">
                      <Text as="h2" variant="headingMd">
                        {t("members.override.end")}
                      </Text>
                      <Text as="p" tone="subdued">
                        {t("members.override.endHelp")}
                      </Text>
                      {banner("endOverride")}
                      <Field name="reason" label={t("members.adjust.reason")} errors={errorsFor("endOverride")} />
                      <InlineStack align="end">
                        <Button submit loading={navigation.formData?.get("intent") === "endOverride"}>
                          {t("members.override.end")}
                        </Button>
                      </InlineStack>
                    </BlockStack>
                  </Form>
                </Card>
              )}
            </BlockStack>
          </Layout.Section>
          <Layout.Section>
            <TableCard
              title={t("members.tierHistory")}
              empty={t("members.tierHistory.empty")}
              columnContentTypes={["text", "text", "text", "text"]}
              headings={[t("activity.when"), t("members.from"), t("members.to"), t("members.reason")]}
              rows={tierEvents.map((e) => [date.format(new Date(e.at)), e.from, e.to, e.cause])}
            />
          </Layout.Section>
          <Layout.Section>
            <TableCard
              title={t("members.referrals")}
              note={t("members.referrals.clicks", { count: referrals.clicks })}
              empty={t("members.referrals.empty")}
              columnContentTypes={["text", "text", "text", "text", "text"]}
              headings={[
                t("members.referrals.friend"),
                t("members.status"),
                t("members.referrals.signedUp"),
                t("members.referrals.ordered"),
                t("members.referrals.credited"),
              ]}
              rows={referrals.list.map((r) => [
                r.friend ?? "—",
                t(`members.referral.${r.status}` as MessageKey) + (r.reason ? ` (${r.reason})` : ""),
                r.signedUpAt ? date.format(new Date(r.signedUpAt)) : "—",
                r.orderedAt ? date.format(new Date(r.orderedAt)) : "—",
                r.creditedAt ? date.format(new Date(r.creditedAt)) : "—",
              ])}
            />
          </Layout.Section>
          <Layout.Section>
            <BlockStack gap="400">
              <TableCard
                title={t("members.redemptions")}
                empty={t("members.redemptions.empty")}
                columnContentTypes={["text", "text", "numeric", "text", "text"]}
                headings={[
                  t("activity.when"),
                  t("members.reward"),
                  t("members.points"),
                  t("members.status"),
                  t("members.code"),
                ]}
                rows={redemptions.map((r) => [
                  date.format(new Date(r.at)),
                  `${r.name} (${t(`members.origin.${r.origin}` as MessageKey)})`,
                  String(r.points),
                  t(`members.redemption.${r.status}`),
                  r.code ?? "—",
                ])}
              />
              <TableCard
                title={t("member.messages.heading")}
                empty={t("member.messages.empty")}
                columnContentTypes={["text", "text", "text", "text"]}
                headings={[t("activity.when"), t("messages.col.kind"), t("messages.subject"), t("members.status")]}
                rows={messages.map((m) => [
                  date.format(new Date(m.at)),
                  locale === "ru"
                    ? (MESSAGE_KIND_TEXT[m.kind]?.ru ?? m.kind)
                    : (MESSAGE_KIND_TEXT[m.kind]?.en ?? m.kind),
                  m.subject ?? "—",
                  [
                    t(`member.messages.status.${m.status}` as MessageKey) + (m.skipReason ? ` (${m.skipReason})` : ""),
                    m.opened && t("member.messages.opened"),
                    m.clicked && t("member.messages.clicked"),
                    m.unsubscribed && t("member.messages.unsubscribed"),
                  ]
                    .filter(Boolean)
                    .join(" · "),
                ])}
              />
            </BlockStack>
          </Layout.Section>
        </Layout>
      </ScrollableTables>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  // Never a stack trace: a plain message and the way back.
  return (
    <Page
      title={t(missing ? "members.notFound" : "error.heading")}
      backAction={{ content: t("nav.members"), url: "/app/members" }}
    >
      <Card>
        <Text as="p">{t(missing ? "members.notFound.body" : "error.body")}</Text>
      </Card>
    </Page>
  );
}
