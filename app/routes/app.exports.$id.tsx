import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { isUuid } from "../domain/validation";
import { errorResponse } from "../http/responses";
import { downloadExport } from "../services/compliance";
import { adminContext } from "../shopify/admin-context.server";

/**
 * GET /app/exports/<id>: a customer's data, as customers/data_request asked for it, as a
 * JSON file for the merchant to hand over. Only the shop's own exports; each download is
 * logged. customers/redact deletes the file.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const id = params.id ?? "";
  const file = isUuid(id) ? await downloadExport(prisma, shop.id, id, actor) : null;
  if (!file) return errorResponse(404, "not_found", "No such export in this shop");
  const name = `customer-data-${file.requestId?.toString() ?? file.id}.json`;
  return new Response(JSON.stringify(file.content, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
};
