import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { privateJson } from "../http/responses";
import { surveyLink } from "../integrations/email/links.server";
import { appConfig } from "../platform/runtime.server";
import { storefrontView } from "../services/member-view";
import { authenticateProxy } from "../shopify/app-proxy.server";

/**
 * GET /proxy/member?locale=ru → { proxy, language, program, member, customer }; member is
 * null for guests; member.survey carries an unanswered NPS survey's score links. Names
 * come in the shopper's language when the program speaks it.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId, pathPrefix } = context;
  // The storefront script calls the app through this path from then on.
  const locale = new URL(request.url).searchParams.get("locale");
  // An unanswered survey's scores link to the email's one-click answer page, in the panel's language.
  const scores = (messageId: string, language: string) =>
    Array.from(
      { length: 11 },
      (_, score) => `${surveyLink(appConfig().apiSecret, pathPrefix, messageId, score)}&l=${language}`,
    );
  const view = await storefrontView(prisma, shop, customerId, locale, scores);
  return privateJson({ proxy: pathPrefix, ...view });
};
