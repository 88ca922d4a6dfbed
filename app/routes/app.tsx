import { json, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { appConfig } from "../platform/runtime.server";
import { authenticateAdmin } from "../shopify/admin-auth.server";
import { polarisTranslations } from "../i18n/polaris";
import { translator } from "../i18n";
import { requestLocale } from "../http/locale";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticateAdmin(request);
  const { locale, setCookie } = requestLocale(request);
  const body = { apiKey: appConfig().apiKey, locale };
  return json(body, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
};

const NAV_FALLBACK = `
ui-nav-menu:not(:defined) { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 10px 16px;
  background: #fff; border-bottom: 1px solid #e3e3e3; font: 500 14px/1.4 system-ui, sans-serif; }
ui-nav-menu:not(:defined) a { color: #303030; text-decoration: none; }
ui-nav-menu:not(:defined) a:hover, ui-nav-menu:not(:defined) a:focus-visible { text-decoration: underline; }
`;

export default function App() {
  const { apiKey, locale } = useLoaderData<typeof loader>();
  const t = translator(locale);
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations(locale)}>
      {/* Inside Shopify admin App Bridge defines ui-nav-menu and moves it into the admin's
          navigation; where it is not defined (the local demo), it is drawn as a bar. */}
      <style>{NAV_FALLBACK}</style>
      <NavMenu>
        <Link to="/app" rel="home">
          {t("nav.home")}
        </Link>
        <Link to="/app/program">{t("nav.program")}</Link>
        <Link to="/app/rewards">{t("nav.rewards")}</Link>
        <Link to="/app/tiers">{t("nav.tiers")}</Link>
        <Link to="/app/campaigns">{t("nav.campaigns")}</Link>
        <Link to="/app/referrals">{t("nav.referrals")}</Link>
        <Link to="/app/retention">{t("nav.retention")}</Link>
        <Link to="/app/members">{t("nav.members")}</Link>
        <Link to="/app/messages">{t("nav.messages")}</Link>
        <Link to="/app/feedback">{t("nav.feedback")}</Link>
        <Link to="/app/surprises">{t("nav.surprises")}</Link>
        <Link to="/app/branding">{t("branding.nav")}</Link>
        <Link to="/app/landing">{t("nav.landing")}</Link>
        <Link to="/app/settings">{t("nav.settings")}</Link>
        <Link to="/app/activity">{t("nav.activity")}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch its thrown responses (redirects for auth) to add headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
