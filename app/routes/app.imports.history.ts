import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { HISTORY_MONTHS } from "../domain/periods";
import { latestHistory } from "../services/history";
import { adminContext } from "../shopify/admin-context.server";
import { startHistoryImport } from "../shopify/history.server";
import { jsonResponse } from "../http/responses";

/** POST /app/imports/history { months }: asks Shopify for the order history (a bulk operation). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor, adminApi } = await adminContext(request);
  const form = await request.formData();
  const months = Number(form.get("months"));
  if (!(HISTORY_MONTHS as readonly number[]).includes(months))
    return jsonResponse({ ok: false, errors: { form: "history.badWindow" } }, 400);
  const running = await latestHistory(prisma, shop.id);
  if (running && (running.status === "RUNNING" || running.status === "READING"))
    return jsonResponse({ ok: false, errors: { form: "history.running" } }, 409);
  const admin = await adminApi();
  if (!admin) return jsonResponse({ ok: false, errors: { form: "history.noAccess" } }, 409);
  await startHistoryImport(prisma, shop, admin, months, actor);
  throw redirect("/app/imports?history=started");
};
