import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { resolveLocale, translator } from "../i18n";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  const shop = await prisma.shop.findUnique({
    where: { domain: session.shop },
    select: { programStatus: true, _count: { select: { members: true } } },
  });
  return { locale, status: shop?.programStatus ?? "DRAFT", members: shop?._count.members ?? 0 };
};

export default function Home() {
  const { locale, status, members } = useLoaderData<typeof loader>();
  const t = translator(locale);
  return (
    <Page title={t("home.title")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("home.status.heading")}
              </Text>
              <Badge tone={status === "LIVE" ? "success" : undefined}>{t(`home.status.${status}`)}</Badge>
              <Text as="p">{t("home.members", { count: members })}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        {members === 0 && (
          <Layout.Section>
            <Card>
              <EmptyState heading={t("home.empty.heading")} image="">
                <p>{t("home.empty.body")}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
