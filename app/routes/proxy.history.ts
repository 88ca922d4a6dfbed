import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { shopperHistory } from "../shopify/shopper-api.server";

/** GET /proxy/history?cursor=<id>&limit=<n>&locale=ru: the member's ledger, newest first, in the reader's language. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  return shopperHistory({ ...context, via: "widget" }, new URL(request.url));
};
