import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useLoaderData, useNavigation } from "@remix-run/react";
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
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { formatMoney, minorToDecimalString } from "../domain/money";
import { LANGUAGES, PLURAL_CATEGORIES, pointsNameForms } from "../domain/localized";
import { NETWORK_IDS } from "../domain/social";
import { appConfig } from "../platform/runtime.server";
import { programPageData, saveBirthday, saveEarning, saveSocial } from "../services/admin/program";
import { deleteReviewProvider, reviewProvider, reviewProviders, saveReviewProvider } from "../services/admin/reviews";
import { EARNING_FORM_ACTIONS, REVIEW_PROVIDERS } from "../domain/program-catalog";
import { adminAction, formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { reviewWebhookUrl } from "../integrations/reviews/outbound";
import { sendTestReviewEvent } from "../integrations/reviews/test-event.server";
import { CheckboxField, Field, SelectField } from "../components/fields";
import { DeleteButton, FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { networkLabel } from "../i18n/reasons";
import type { MessageKey } from "../i18n";
import { requestShopifySync } from "../shopify/customer-sync.server";

/**
 * How members earn: the spend rate and the points' name, the actions that earn, birthdays,
 * social follows and the review apps that report reviews. Rewards, tiers and campaigns
 * have their own pages.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const s = shop.settings;
  const [page, providers] = await Promise.all([programPageData(prisma, shop), reviewProviders(prisma, shop)]);
  const languages = LANGUAGES.filter((l) => s.languages.includes(l));
  return {
    currency: shop.currency,
    earnRate: `${s.earnPoints} / ${formatMoney(s.earnSpendMinor, shop.currency, locale)}`,
    languages,
    settings: {
      earnPoints: s.earnPoints,
      earnSpend: minorToDecimalString(BigInt(s.earnSpendMinor), shop.currency),
      availabilityDelayDays: s.availabilityDelayDays,
      expiryInactivityDays: s.expiryInactivityDays,
      pendingWindowDays: s.pendingWindowDays,
      negativeBalancePolicy: s.negativeBalancePolicy,
      autoEnroll: s.autoEnroll,
      includeShipping: s.includeShipping,
      includeTax: s.includeTax,
      reviewsRequirePurchase: s.reviewsRequirePurchase,
      allowTestOrders: s.allowTestOrders,
      birthdayGift: s.birthdayGift,
      birthdayLeadDays: s.birthdayLeadDays,
    },
    pointsName: Object.fromEntries(languages.map((l) => [l, pointsNameForms(s.pointsName, l)])),
    rules: Object.fromEntries([...shop.rules.values()].map((r) => [r.action, r.points])) as Record<string, number>,
    giftRewards: page.giftRewards,
    social: Object.fromEntries(
      page.social.map((rule) => [rule.key, { url: (rule.config as { url?: string })?.url ?? "", points: rule.points }]),
    ),
    providers: providers.map((p) => ({
      provider: p.provider,
      enabled: p.enabled,
      url: reviewWebhookUrl(appConfig().appUrl, p.provider as never, shop.domain, p.secret),
      last: p.last && { at: p.last.receivedAt.toISOString(), status: p.last.status, note: p.last.error },
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  const formId = form.formId ?? form.intent ?? "";
  return adminAction(
    async () => {
      switch (form.intent) {
        case "earning":
          return saveEarning(prisma, shop, form, actor);
        case "birthday":
          return saveBirthday(prisma, shop, form, actor);
        case "social":
          return saveSocial(prisma, shop, form, actor);
        case "reviewProvider":
          return saveReviewProvider(prisma, shop, form, actor);
        case "deleteReviewProvider":
          return deleteReviewProvider(prisma, shop, form.id ?? "", actor);
        case "testReviewProvider": {
          const config = await reviewProvider(prisma, shop, form.id ?? "");
          return sendTestReviewEvent(shop.domain, config.provider, config.secret);
        }
        default:
          throw new Response("Unknown action", { status: 400 });
      }
    },
    // The storefront reads the program from Shopify: push the change now, not at the next sweep.
    { echo: { formId }, onSuccess: () => void requestShopifySync(shop.id) },
  );
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function EarningCard() {
  const t = useT();
  const { settings, rules, currency, pointsName, languages } = useLoaderData<typeof loader>();
  const errors = useErrors("earning");
  return (
    <GuardedForm>
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
            <CheckboxField
              name="allowTestOrders"
              label={t("program.earning.allowTestOrders")}
              helpText={t("program.earning.allowTestOrdersHelp")}
              defaultChecked={settings.allowTestOrders}
            />
          </FormLayout>
        </Card>
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {t("program.name.heading")}
            </Text>
            <Text as="p" tone="subdued">
              {t("program.name.help")}
            </Text>
            {languages.map((language) => (
              <FormLayout.Group key={language} condensed>
                {PLURAL_CATEGORIES[language].map((category) => (
                  <Field
                    key={category}
                    name={`pointsName_${language}_${category}`}
                    label={t(`program.name.${language}.${category}` as MessageKey)}
                    defaultValue={pointsName[language]?.[category]}
                    errors={errors}
                  />
                ))}
              </FormLayout.Group>
            ))}
          </FormLayout>
        </Card>
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              {t("program.actions.heading")}
            </Text>
            <Text as="p" tone="subdued">
              {t("program.actions.help")}
            </Text>
            <FormLayout.Group condensed>
              {EARNING_FORM_ACTIONS.map((action) => (
                <Field
                  key={action}
                  name={`rule_${action}`}
                  type="number"
                  label={t(`program.actions.${action}`)}
                  helpText={t(`program.actions.${action}.when` as MessageKey)}
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
    </GuardedForm>
  );
}

function BirthdayCard() {
  const t = useT();
  const { settings, rules, giftRewards } = useLoaderData<typeof loader>();
  const errors = useErrors("birthday");
  return (
    <Card>
      <GuardedForm>
        <input type="hidden" name="intent" value="birthday" />
        <input type="hidden" name="formId" value="birthday" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("program.birthday.heading")}
          </Text>
          <Text as="p" tone="subdued">
            {t("program.birthday.help")}
          </Text>
          <FormStatus formId="birthday" />
          <FormLayout>
            <SelectField
              name="birthdayGift"
              label={t("program.birthday.gift")}
              defaultValue={settings.birthdayGift}
              errors={errors}
              options={[
                { value: "POINTS", label: t("program.birthday.gift.POINTS") },
                { value: "CHOICE", label: t("program.birthday.gift.CHOICE", { count: giftRewards }) },
              ]}
            />
            <FormLayout.Group>
              <Field
                name="rule_BIRTHDAY"
                type="number"
                label={t("program.actions.BIRTHDAY")}
                defaultValue={rules.BIRTHDAY ?? 0}
                errors={errors}
              />
              <Field
                name="birthdayLeadDays"
                type="number"
                label={t("program.birthday.lead")}
                helpText={t("program.birthday.leadHelp")}
                defaultValue={settings.birthdayLeadDays}
                errors={errors}
              />
            </FormLayout.Group>
            <InlineStack>
              <RemixLink to="/app/rewards#birthday">{t("program.birthday.gifts")}</RemixLink>
            </InlineStack>
          </FormLayout>
          <SaveButton formId="birthday" />
        </BlockStack>
      </GuardedForm>
    </Card>
  );
}

function SocialCard() {
  const t = useT();
  const locale = useLocale();
  const { social } = useLoaderData<typeof loader>();
  const errors = useErrors("social");
  return (
    <Card>
      <GuardedForm>
        <input type="hidden" name="intent" value="social" />
        <input type="hidden" name="formId" value="social" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("program.social.heading")}
          </Text>
          <Banner tone="info">{t("program.social.honour")}</Banner>
          <FormStatus formId="social" />
          <FormLayout>
            {NETWORK_IDS.map((network) => (
              <FormLayout.Group key={network}>
                <Field
                  name={`social_${network}_url`}
                  label={t("program.social.url", { network: networkLabel(network, locale) })}
                  defaultValue={social[network]?.url}
                  errors={errors}
                />
                <Field
                  name={`social_${network}_points`}
                  type="number"
                  label={t("program.social.points")}
                  defaultValue={social[network]?.points ?? 25}
                  errors={errors}
                />
              </FormLayout.Group>
            ))}
          </FormLayout>
          <SaveButton formId="social" />
        </BlockStack>
      </GuardedForm>
    </Card>
  );
}

function ReviewsCard() {
  const t = useT();
  const locale = useLocale();
  const { providers } = useLoaderData<typeof loader>();
  const errors = useErrors("reviewProvider");
  const navigation = useNavigation();
  const connected = new Set(providers.map((p) => p.provider));
  const date = (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("program.reviews.heading")}
        </Text>
        <Text as="p" tone="subdued">
          {t("program.reviews.help")}
        </Text>
        {providers.length === 0 && <Banner tone="warning">{t("program.reviews.none")}</Banner>}
        {providers.map((p: Data["providers"][number]) => (
          <Box key={p.provider} padding="300" borderColor="border" borderWidth="025" borderRadius="200">
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {t(`program.reviews.provider.${p.provider}` as MessageKey)}
                </Text>
                <Badge tone={p.enabled ? "success" : undefined}>
                  {t(p.enabled ? "program.reviews.on" : "program.reviews.off")}
                </Badge>
              </InlineStack>
              <Text as="p">{t("program.reviews.url")}</Text>
              <Box padding="200" background="bg-surface-secondary" borderRadius="100">
                <Text as="p" breakWord>
                  <code>{p.url}</code>
                </Text>
              </Box>
              <Text as="p" tone="subdued">
                {p.last
                  ? t("program.reviews.last", {
                      date: date(p.last.at),
                      status: t(`program.reviews.status.${p.last.status}`),
                    })
                  : t("program.reviews.never")}
              </Text>
              <FormStatus formId={`test-${p.provider}`} success="program.reviews.testPassed" />
              <InlineStack gap="300" blockAlign="center">
                <Form method="post">
                  <input type="hidden" name="intent" value="testReviewProvider" />
                  <input type="hidden" name="formId" value={`test-${p.provider}`} />
                  <input type="hidden" name="id" value={p.provider} />
                  <Button submit loading={navigation.formData?.get("formId") === `test-${p.provider}`}>
                    {t("program.reviews.test")}
                  </Button>
                </Form>
                <DeleteButton intent="deleteReviewProvider" id={p.provider} label={t("program.reviews.disconnect")} />
              </InlineStack>
            </BlockStack>
          </Box>
        ))}
        <GuardedForm>
          <input type="hidden" name="intent" value="reviewProvider" />
          <input type="hidden" name="formId" value="reviewProvider" />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {t("program.reviews.connect")}
            </Text>
            <FormStatus formId="reviewProvider" />
            <FormLayout>
              <FormLayout.Group>
                <SelectField
                  name="provider"
                  label={t("program.reviews.app")}
                  errors={errors}
                  options={REVIEW_PROVIDERS.map((provider) => ({
                    value: provider,
                    label: `${t(`program.reviews.provider.${provider}`)}${connected.has(provider) ? ` (${t("program.reviews.connected")})` : ""}`,
                  }))}
                />
                <Field
                  name="secret"
                  label={t("program.reviews.secret")}
                  helpText={t("program.reviews.secretHelp")}
                  errors={errors}
                />
              </FormLayout.Group>
              <CheckboxField name="enabled" label={t("program.reviews.enabled")} defaultChecked />
            </FormLayout>
            <SaveButton formId="reviewProvider" label={t("program.reviews.save")} />
          </BlockStack>
        </GuardedForm>
      </BlockStack>
    </Card>
  );
}

export default function Program() {
  const t = useT();
  const { earnRate } = useLoaderData<typeof loader>();
  return (
    <Page title={t("program.title")} subtitle={t("program.subtitle", { rate: earnRate })}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <EarningCard />
            <BirthdayCard />
            <SocialCard />
            <ReviewsCard />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
