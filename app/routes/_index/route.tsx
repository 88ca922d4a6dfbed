import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "../../shopify.server";
import { resolveLocale, translator } from "../../i18n";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify admin opens the app with ?shop=…; send it to the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return {
    showForm: Boolean(login),
    locale: resolveLocale(url.searchParams.get("locale") ?? request.headers.get("accept-language")),
  };
};

export default function Landing() {
  const { showForm, locale } = useLoaderData<typeof loader>();
  const t = translator(locale);
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>{t("landing.heading")}</h1>
      <p>{t("landing.tagline")}</p>
      {showForm && (
        <Form method="post" action="/auth/login">
          <label>
            <span>{t("login.shopLabel")}</span> <input type="text" name="shop" placeholder={t("login.shopHelp")} />
          </label>{" "}
          <button type="submit">{t("login.submit")}</button>
        </Form>
      )}
    </main>
  );
}
