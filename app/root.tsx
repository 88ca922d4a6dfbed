import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";

export const meta = () => [{ title: "Comeback" }];

export default function App() {
  // The admin's language, when inside the admin, so screen readers pronounce it right.
  const admin = useRouteLoaderData<{ locale?: string }>("routes/app");
  return (
    <html lang={admin?.locale ?? "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        {/* No favicon request: the app has none, and Shopify admin shows its own. */}
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
