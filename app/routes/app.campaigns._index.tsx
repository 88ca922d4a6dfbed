import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  ResourceItem,
  ResourceList,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { localizedName, programLanguage } from "../domain/localized";
import { listCampaigns } from "../services/admin/campaigns";
import { adminContext } from "../shopify/admin-context.server";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";

/** Bonus campaigns, running, coming and recently over; each opens its own page. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const now = Date.now();
  const campaigns = await listCampaigns(prisma, shop);
  return {
    campaigns: campaigns.map((c) => ({
      id: c.id,
      name: localizedName(c.name, c.names, language),
      multiplier: c.multiplierBp / 10_000,
      startsAt: c.startsAt.toISOString(),
      // The last day it runs (it ends at the next midnight).
      lastDay: new Date(c.endsAt.getTime() - 1).toISOString(),
      scope: c.productIds.length + c.collectionIds.length === 0 ? "all" : "chosen",
      products: c.productIds.length,
      collections: c.collectionIds.length,
      state: !c.enabled
        ? "off"
        : c.endsAt.getTime() <= now
          ? "over"
          : c.startsAt.getTime() > now
            ? "coming"
            : "running",
    })),
  };
};

export default function Campaigns() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { campaigns } = useLoaderData<typeof loader>();
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
  const tone = { running: "success", coming: "info", over: undefined, off: undefined } as const;
  return (
    <Page
      title={t("campaigns.title")}
      subtitle={t("campaigns.subtitle")}
      primaryAction={{ content: t("program.campaigns.add"), onAction: () => navigate("/app/campaigns/new") }}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {campaigns.length === 0 ? (
              <EmptyState
                heading={t("program.campaigns.empty")}
                action={{ content: t("program.campaigns.add"), onAction: () => navigate("/app/campaigns/new") }}
                image=""
              >
                <p>{t("campaigns.emptyBody")}</p>
              </EmptyState>
            ) : (
              <ResourceList
                items={campaigns}
                resourceName={{ singular: t("campaigns.singular"), plural: t("campaigns.plural") }}
                renderItem={(c) => (
                  <ResourceItem id={c.id} url={`/app/campaigns/${c.id}`} accessibilityLabel={c.name}>
                    <InlineStack align="space-between" blockAlign="center" gap="300">
                      <BlockStack gap="100">
                        <Text as="h3" variant="bodyMd" fontWeight="semibold">
                          {c.name}
                        </Text>
                        <Text as="p" tone="subdued">
                          {t("campaigns.row", {
                            multiplier: c.multiplier,
                            from: date(c.startsAt),
                            to: date(c.lastDay),
                            scope:
                              c.scope === "all"
                                ? t("campaigns.scope.all")
                                : t("campaigns.scope.chosen", { products: c.products, collections: c.collections }),
                          })}
                        </Text>
                      </BlockStack>
                      <Badge tone={tone[c.state as keyof typeof tone]}>
                        {t(`campaigns.state.${c.state}` as "campaigns.state.off")}
                      </Badge>
                    </InlineStack>
                  </ResourceItem>
                )}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
