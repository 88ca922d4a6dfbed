import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { loadProgram, memberView, programView } from "../loyalty/member-view";
import { authenticateProxy, proxyJson } from "../shopify/app-proxy.server";

/** GET /proxy/member → { program, member, customer }; member is null for guests. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId, pathPrefix } = context;
  const [{ rewards, tiers }, member] = await Promise.all([
    loadProgram(prisma, shop),
    customerId ? prisma.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } }) : null,
  ]);
  const program = programView(shop, rewards, tiers);
  const enrolled = member?.status === "ACTIVE";
  return proxyJson(200, {
    // The storefront script calls the app through this path from then on.
    proxy: pathPrefix,
    program,
    member: enrolled ? await memberView(prisma, shop, member, rewards, tiers) : null,
    customer: { loggedIn: customerId !== null, enrolled },
  });
};
