import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { login } from "../../shopify.server";
import { polarisTranslations } from "../../i18n/polaris";
import { resolveLocale, translator, type MessageKey } from "../../i18n";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

function localeOf(request: Request) {
  const url = new URL(request.url);
  return resolveLocale(url.searchParams.get("locale") ?? request.headers.get("accept-language"));
}

/** Maps the library's login errors to our message keys. */
function errorKey(result: Awaited<ReturnType<typeof login>>): MessageKey | null {
  if (result instanceof Response) return null;
  if (result.shop === "MISSING_SHOP") return "login.errors.missingShop";
  if (result.shop === "INVALID_SHOP") return "login.errors.invalidShop";
  return null;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const result = await login(request);
  return { errorKey: errorKey(result), locale: localeOf(request) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const result = await login(request);
  return { errorKey: errorKey(result) };
};

export default function Auth() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const t = translator(loaderData.locale);
  const error = actionData?.errorKey ?? loaderData.errorKey;

  return (
    <PolarisAppProvider i18n={polarisTranslations(loaderData.locale)}>
      <Page>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                {t("login.title")}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={t("login.shopLabel")}
                helpText={t("login.shopHelp")}
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error ? t(error) : undefined}
              />
              <Button submit>{t("login.submit")}</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
