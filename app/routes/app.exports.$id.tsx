import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { isUuid } from "../domain/validation";
import { adminContext } from "../shopify/admin-context.server";

/**
 * GET /app/exports/<id>: a customer's data, as customers/data_request asked for it, as a
 * JSON file for the merchant to hand over. Only the shop's own exports; each download is
 * logged. customers/redact deletes the file.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const id = params.id ?? "";
  const file = isUuid(id) ? await prisma.dataExport.findFirst({ where: { id, shopId: shop.id } }) : null;
  if (!file) return new Response(JSON.stringify({ error: "not_found" }), { status: 404, headers: { "Content-Type": "application/json" } });
  await prisma.$transaction([
    prisma.dataExport.update({ where: { id: file.id }, data: { downloadedAt: new Date() } }),
    prisma.activityLog.create({ data: { shopId: shop.id, actor, action: "compliance.export_downloaded", subject: file.id } }),
  ]);
  const name = `customer-data-${file.requestId?.toString() ?? file.id}.json`;
  return new Response(JSON.stringify(file.content, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
};
