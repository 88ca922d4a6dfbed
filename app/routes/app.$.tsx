import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { BlockStack, Card, Page, Text } from "@shopify/polaris";
import { jsonResponse } from "../http/responses";
import { adminContext } from "../shopify/admin-context.server";
import { useT } from "../components/locale";

/** Any /app path no page answers: a 404 that says so and leads back, in the admin's language. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await adminContext(request);
  return jsonResponse({ notFound: true }, 404);
};

export default function NotFound() {
  const t = useT();
  return (
    <Page title={t("notFound.title")}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">{t("notFound.body")}</Text>
          <Link to="/app">{t("notFound.back")}</Link>
        </BlockStack>
      </Card>
    </Page>
  );
}
