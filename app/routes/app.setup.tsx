import { appConfig } from "../platform/runtime.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import type { MessageKey } from "../i18n";
import { formatMoney, minorToDecimalString } from "../domain/money";
import { launchFromSetup, ValidationError } from "../services/admin/program";
import { hasLadder, setupRewards } from "../services/admin/rewards";
import { formFields } from "../http/admin-actions";
import { adminContext } from "../shopify/admin-context.server";
import { appEmbedDeepLink } from "../shopify/theme";
import { addLandingLink } from "../shopify/navigation.server";
import { landingText } from "../i18n/landing";
import { CheckboxField, Field } from "../components/fields";
import { useT } from "../components/locale";
import { PageError } from "../components/page-error";

/**
 * First open: the defaults seeded at install (in the shop's currency), one screen to
 * adjust the two numbers merchants care about, and Launch.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const rewards = await setupRewards(prisma, shop);
  const s = shop.settings;
  return {
    live: shop.live,
    currency: shop.currency,
    earnPoints: s.earnPoints,
    earnSpend: minorToDecimalString(BigInt(s.earnSpendMinor), shop.currency),
    expiryInactivityDays: s.expiryInactivityDays,
    rewards: rewards.map((r) => ({ name: r.name, cost: r.pointsCost })),
    tiers: shop.tiers.map((t) => ({
      name: t.name,
      threshold: s.tierMetric === "SPEND" ? formatMoney(t.threshold, shop.currency, locale) : t.threshold.toString(),
      multiplier: t.multiplierBp / 10_000,
    })),
    embedLink: appEmbedDeepLink(shop.domain, appConfig().apiKey),
    hasLadder: await hasLadder(prisma, shop),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor, adminApi } = await adminContext(request);
  const form = await formFields(request);
  try {
    await launchFromSetup(prisma, shop, form, actor);
  } catch (error) {
    if (error instanceof ValidationError) return Response.json({ errors: error.fields }, { status: 422 });
    throw error;
  }
  // The loyalty page in the main menu, if the merchant left the offer ticked; the launch
  // stands whatever Shopify answers, and the home page says how it went.
  const title = landingText("link", shop.settings.defaultLanguage === "ru" ? "ru" : "en");
  const linked =
    form.menuLink === "on"
      ? await addLandingLink(prisma, shop, actor, () => adminApi({ attempts: 2 }), null, title)
      : null;
  // What the home page says: in the menu (now or already), the scope missing, or it failed.
  const menu = !linked ? null : "menu" in linked ? "added" : linked.outcome === "scope" ? "scope" : "failed";
  return redirect(`/app?launched=1${menu ? `&menu=${menu}` : ""}`);
};

export default function Setup() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<{ errors?: Record<string, string> }>();
  const navigation = useNavigation();
  return (
    <Page title={t("setup.title")} subtitle={t("setup.subtitle")}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <BlockStack gap="400">
              {result?.errors && <Banner tone="critical">{t("program.fixErrors")}</Banner>}
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("setup.step.earning")}
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      <Field
                        name="earnPoints"
                        type="number"
                        label={t("program.earning.points")}
                        defaultValue={data.earnPoints}
                        errors={result?.errors}
                      />
                      <Field
                        name="earnSpend"
                        label={t("program.earning.spend")}
                        suffix={data.currency}
                        defaultValue={data.earnSpend}
                        errors={result?.errors}
                      />
                    </FormLayout.Group>
                    <Field
                      name="expiryInactivityDays"
                      type="number"
                      label={t("program.rules.expiry")}
                      helpText={t("program.rules.expiryHelp")}
                      defaultValue={data.expiryInactivityDays}
                      errors={result?.errors}
                    />
                  </FormLayout>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("setup.step.ladder")}
                  </Text>
                  <Text as="p">{t("setup.ladder.body")}</Text>
                  {data.hasLadder ? (
                    <Text as="p" tone="subdued">
                      {t("setup.ladder.exists")}
                    </Text>
                  ) : (
                    <CheckboxField name="ladder" label={t("setup.ladder.enable")} defaultChecked />
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("setup.step.preview")}
                  </Text>
                  <Text as="h3" variant="headingSm">
                    {t("program.tab.rewards")}
                  </Text>
                  {data.rewards.length ? (
                    <List>
                      {data.rewards.map((r) => (
                        <List.Item key={r.name}>{t("setup.reward", { name: r.name, count: r.cost })}</List.Item>
                      ))}
                    </List>
                  ) : (
                    <Text as="p" tone="subdued">
                      {t("program.rewards.empty")}
                    </Text>
                  )}
                  <Text as="h3" variant="headingSm">
                    {t("program.tab.tiers")}
                  </Text>
                  {data.tiers.length ? (
                    <List>
                      {data.tiers.map((tier) => (
                        <List.Item key={tier.name}>
                          {t("setup.tier", { name: tier.name, threshold: tier.threshold, multiplier: tier.multiplier })}
                        </List.Item>
                      ))}
                    </List>
                  ) : (
                    <Text as="p" tone="subdued">
                      {t("program.tiers.empty")}
                    </Text>
                  )}
                  <Text as="p" tone="subdued">
                    {t("setup.editLater")}
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("setup.step.widget")}
                  </Text>
                  <Text as="p">{t("setup.widget.body")}</Text>
                  <InlineStack>
                    <Button url={data.embedLink} target="_blank">
                      {t("setup.widget.open")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("setup.step.landing")}
                  </Text>
                  <Text as="p">{t("setup.landing.body")}</Text>
                  <CheckboxField name="menuLink" label={t("setup.landing.link")} defaultChecked />
                </BlockStack>
              </Card>
              <InlineStack align="end">
                <Button submit variant="primary" size="large" loading={navigation.state === "submitting"}>
                  {t((data.live ? "setup.save" : "setup.launch") as MessageKey)}
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
