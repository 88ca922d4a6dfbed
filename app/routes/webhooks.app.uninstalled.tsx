import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { logger } from "../platform/logger.server";

/**
 * Stops work for the shop and drops its sessions. Loyalty data stays until
 * shop/redact (48 hours later), so a quick re-install finds everything in place.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic } = await authenticate.webhook(request);
  await prisma.$transaction([
    prisma.shop.updateMany({ where: { domain: shop, uninstalledAt: null }, data: { uninstalledAt: new Date() } }),
    prisma.session.deleteMany({ where: { shop } }),
  ]);
  logger.info({ shop, topic }, "app uninstalled");
  return new Response(null, { status: 200 });
};
