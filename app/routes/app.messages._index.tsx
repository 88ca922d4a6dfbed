import { lazy } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { FLOW_TRIGGERS, MESSAGE_CATEGORY, type MessageKind } from "../domain/messages";
import { formatMoney } from "../domain/money";
import { adminAction, formFields } from "../http/admin-actions";
import { messageSettings, messageStats } from "../services/messages";
import { rewardChoices, saveKindSetting, saveMailSettings } from "../services/admin/messages";
import { adminContext } from "../shopify/admin-context.server";
import { appConfig } from "../platform/runtime.server";
import { CheckboxField, Field, SelectField } from "../components/fields";
import { FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { ClientOnly } from "../components/client-only";
import { MESSAGE_KIND_TEXT } from "../i18n/mail";

const CountChart = lazy(() => import("../components/dashboard-charts").then((m) => ({ default: m.CountChart })));

const PERIODS = [7, 30, 90] as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const asked = Number(new URL(request.url).searchParams.get("days"));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : 30;
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const [kinds, stats, rewards] = await Promise.all([
    messageSettings(prisma, shop.id),
    messageStats(prisma, shop.id, from, to),
    rewardChoices(prisma, shop.id),
  ]);
  const config = appConfig();
  return {
    days,
    currency: shop.currency,
    smtp: Boolean(config.smtpUrl && config.mailFrom),
    mailFrom: config.mailFrom,
    timezone: shop.timezone,
    settings: {
      mailSenderName: shop.settings.mailSenderName ?? "",
      mailReplyTo: shop.settings.mailReplyTo ?? "",
      mailLogoUrl: shop.settings.mailLogoUrl ?? "",
      noticesNeedConsent: shop.settings.noticesNeedConsent,
      quietHoursEnd: shop.settings.quietHoursEnd,
      quietHoursStart: shop.settings.quietHoursStart,
    },
    kinds,
    stats: stats.map((s) => ({ ...s, revenueMinor: s.revenueMinor.toString() })),
    rewards,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  return adminAction(
    async () => {
      if (form.intent === "mail") return saveMailSettings(prisma, shop, form, actor);
      if (form.intent === "kind") return saveKindSetting(prisma, shop, form, actor);
      throw new Response("Unknown action", { status: 400 });
    },
    { echo: { formId: form.formId ?? "" } },
  );
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function MailSettings() {
  const t = useT();
  const { settings, mailFrom, timezone } = useLoaderData<typeof loader>();
  const errors = useErrors("mail");
  const hours = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, "0")}:00` }));
  return (
    <GuardedForm>
      <input type="hidden" name="intent" value="mail" />
      <input type="hidden" name="formId" value="mail" />
      <BlockStack gap="400">
        <FormStatus formId="mail" />
        <FormLayout>
          <FormLayout.Group>
            <Field
              name="mailSenderName"
              label={t("messages.sender")}
              helpText={t("messages.senderHelp", { address: mailFrom ?? "MAIL_FROM" })}
              defaultValue={settings.mailSenderName}
              errors={errors}
            />
            <Field
              name="mailReplyTo"
              label={t("messages.replyTo")}
              helpText={t("messages.replyToHelp")}
              defaultValue={settings.mailReplyTo}
              errors={errors}
            />
          </FormLayout.Group>
          <Field
            name="mailLogoUrl"
            label={t("messages.logo")}
            helpText={t("messages.logoHelp")}
            defaultValue={settings.mailLogoUrl}
            errors={errors}
          />
          <FormLayout.Group>
            <SelectField
              name="quietHoursEnd"
              label={t("messages.sendFrom")}
              options={hours}
              defaultValue={String(settings.quietHoursEnd)}
            />
            <SelectField
              name="quietHoursStart"
              label={t("messages.sendUntil")}
              helpText={t("messages.hoursHelp", { timezone })}
              options={hours}
              defaultValue={String(settings.quietHoursStart)}
            />
          </FormLayout.Group>
          <CheckboxField
            name="noticesNeedConsent"
            label={t("messages.noticesConsent")}
            helpText={t("messages.noticesConsentHelp")}
            defaultChecked={settings.noticesNeedConsent}
          />
        </FormLayout>
        <SaveButton formId="mail" />
      </BlockStack>
    </GuardedForm>
  );
}

function KindRow({ setting }: { setting: Data["kinds"][number] }) {
  const t = useT();
  const locale = useLocale();
  const { rewards } = useLoaderData<typeof loader>();
  const formId = `kind-${setting.kind}`;
  const errors = useErrors(formId);
  const text = MESSAGE_KIND_TEXT[setting.kind]!;
  const marketing = MESSAGE_CATEGORY[setting.kind as MessageKind] === "marketing";
  return (
    <GuardedForm>
      <input type="hidden" name="intent" value="kind" />
      <input type="hidden" name="formId" value={formId} />
      <input type="hidden" name="kind" value={setting.kind} />
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" wrap={false}>
          <BlockStack gap="050">
            <Text as="h3" variant="headingSm">
              {locale === "ru" ? text.ru : text.en} {marketing ? `· ${t("messages.marketing")}` : ""}
            </Text>
            <Text as="p" tone="subdued">
              {locale === "ru" ? text.helpRu : text.helpEn}
            </Text>
          </BlockStack>
          <Link to={`/app/messages/${setting.kind}`}>{t("messages.editTemplate")}</Link>
        </InlineStack>
        <FormStatus formId={formId} />
        <FormLayout>
          <FormLayout.Group condensed>
            <CheckboxField name="enabled" label={t("messages.on")} defaultChecked={setting.enabled} />
            {FLOW_TRIGGERS[setting.kind as MessageKind] && (
              <CheckboxField
                name="viaFlow"
                label={t("messages.viaFlow")}
                helpText={t("messages.viaFlowHelp")}
                defaultChecked={setting.viaFlow}
              />
            )}
            {setting.kind === "POINTS_EXPIRING" && (
              <Field
                name="days"
                label={t("messages.daysBefore")}
                helpText={t("messages.daysList")}
                defaultValue={setting.timing.days.join(", ")}
                errors={errors}
              />
            )}
            {setting.kind === "NPS" && (
              <>
                <Field
                  name="delayDays"
                  type="number"
                  label={t("messages.npsDelay")}
                  defaultValue={String(setting.timing.delayDays)}
                  errors={errors}
                />
                <Field
                  name="points"
                  type="number"
                  label={t("messages.npsPoints")}
                  defaultValue={String(setting.timing.points)}
                  errors={errors}
                />
              </>
            )}
            {setting.kind === "TIER_DOWNGRADE" && (
              <Field
                name="daysBefore"
                type="number"
                label={t("messages.daysBefore")}
                defaultValue={String(setting.timing.daysBefore)}
                errors={errors}
              />
            )}
            {setting.kind === "WIN_BACK" && (
              <>
                <Field
                  name="afterDays"
                  type="number"
                  label={t("messages.afterDays")}
                  defaultValue={String(setting.timing.afterDays)}
                  errors={errors}
                />
                <Field
                  name="thenDays"
                  type="number"
                  label={t("messages.thenDays")}
                  defaultValue={String(setting.timing.thenDays)}
                  errors={errors}
                />
                <SelectField
                  name="couponRewardId"
                  label={t("messages.coupon")}
                  options={[
                    { value: "", label: t("messages.noCoupon") },
                    ...rewards.map((r) => ({ value: r.id, label: r.name })),
                  ]}
                  defaultValue={setting.timing.couponRewardId ?? ""}
                />
              </>
            )}
          </FormLayout.Group>
        </FormLayout>
        <SaveButton formId={formId} />
      </BlockStack>
    </GuardedForm>
  );
}

function Statistics() {
  const t = useT();
  const locale = useLocale();
  const { stats, days, currency } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const name = (kind: string) => (locale === "ru" ? MESSAGE_KIND_TEXT[kind]!.ru : MESSAGE_KIND_TEXT[kind]!.en);
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const rate = (part: number, whole: number) => (whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : "");
  const sent = stats.reduce((sum, s) => sum + s.sent, 0);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("messages.stats")}
          </Text>
          <Select
            label={t("messages.period")}
            labelInline
            options={PERIODS.map((d) => ({ value: String(d), label: t("messages.lastDays", { days: d }) }))}
            value={String(days)}
            onChange={(value) => setParams({ days: value })}
          />
        </InlineStack>
        {sent === 0 ? (
          <Text as="p" tone="subdued">
            {t("messages.noStats")}
          </Text>
        ) : (
          <ClientOnly fallback={<SkeletonBodyText lines={6} />}>
            <CountChart
              locale={locale}
              label={t("messages.stats")}
              series={[
                { name: t("messages.col.sent"), data: stats.map((s) => ({ key: name(s.kind), value: s.sent })) },
                { name: t("messages.col.opened"), data: stats.map((s) => ({ key: name(s.kind), value: s.opened })) },
                { name: t("messages.col.clicked"), data: stats.map((s) => ({ key: name(s.kind), value: s.clicked })) },
              ]}
            />
          </ClientOnly>
        )}
        <DataTable
          columnContentTypes={[
            "text",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
          ]}
          headings={[
            t("messages.col.kind"),
            t("messages.col.sent"),
            t("messages.col.failed"),
            t("messages.col.bounced"),
            t("messages.col.opened"),
            t("messages.col.clicked"),
            t("messages.col.unsubscribed"),
            t("messages.col.orders"),
            t("messages.col.revenue"),
          ]}
          rows={stats.map((s) => [
            name(s.kind),
            number(s.sent),
            number(s.failed),
            number(s.bounced),
            number(s.opened) + rate(s.opened, s.sent),
            number(s.clicked) + rate(s.clicked, s.sent),
            number(s.unsubscribed),
            number(s.orders),
            formatMoney(BigInt(s.revenueMinor), currency, locale),
          ])}
        />
        <Text as="p" tone="subdued">
          {t("messages.statsHelp")}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Messages() {
  const t = useT();
  const { smtp, kinds } = useLoaderData<typeof loader>();
  return (
    <Page title={t("messages.title")} subtitle={t("messages.subtitle")}>
      <Layout>
        {!smtp && (
          <Layout.Section>
            <Banner tone="warning" title={t("messages.noSmtp")}>
              {t("messages.noSmtpHelp")}
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Statistics />
        </Layout.Section>
        <Layout.AnnotatedSection title={t("messages.settings")} description={t("messages.consentLaw")}>
          <Card>
            <MailSettings />
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("messages.kinds")} description={t("messages.kindsHelp")}>
          <BlockStack gap="300">
            {kinds.map((setting) => (
              <Card key={setting.kind}>
                <KindRow setting={setting} />
              </Card>
            ))}
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
