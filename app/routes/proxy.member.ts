import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { privateJson } from "../http/responses";
import { storefrontView } from "../services/member-view";
import { authenticateProxy } from "../shopify/app-proxy.server";

/**
 * GET /proxy/member?locale=ru → { proxy, language, program, member, customer }; member is
 * null for guests. Names come in the shopper's language when the program speaks it.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId, pathPrefix } = context;
  // The storefront script calls the app through this path from then on.
  const locale = new URL(request.url).searchParams.get("locale");
  return privateJson({ proxy: pathPrefix, ...(await storefrontView(prisma, shop, customerId, locale)) });
};
