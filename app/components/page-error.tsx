import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Card, Page, Text } from "@shopify/polaris";
import { useT } from "./locale";

/**
 * The error state of an admin page. A merchant never sees a stack trace: a plain message,
 * and the way back. Shopify's own auth responses are handled by the layout's boundary.
 */
export function PageError({ back }: { back?: { label: string; url: string } }) {
  const error = useRouteError();
  const t = useT();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Page
      title={t(missing ? "error.notFound" : "error.heading")}
      backAction={back ? { content: back.label, url: back.url } : undefined}
    >
      <Card>
        <Text as="p">{t(missing ? "error.notFound.body" : "error.body")}</Text>
      </Card>
    </Page>
  );
}
