import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { jsonResponse } from "../http/responses";
import { PastPointsChanged, previewPastPoints, startPastPoints } from "../services/past-points";
import { adminContext } from "../shopify/admin-context.server";

/**
 * POST /app/imports/past-points
 *   intent=preview                     what a grant would give now (nothing is written)
 *   intent=grant&expectedPoints=N      grants it, if N is still what the preview says
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "preview") return jsonResponse({ ok: true, preview: await previewPastPoints(prisma, shop) });
  if (intent !== "grant") return jsonResponse({ ok: false, errors: { form: "pastPoints.badIntent" } }, 400);
  const expected = Number(form.get("expectedPoints"));
  if (!Number.isSafeInteger(expected) || expected <= 0)
    return jsonResponse({ ok: false, errors: { form: "pastPoints.previewFirst" } }, 400);
  try {
    const preview = await startPastPoints(prisma, shop, expected, actor);
    return jsonResponse({ ok: true, started: preview });
  } catch (error) {
    if (error instanceof PastPointsChanged)
      return jsonResponse({ ok: false, errors: { form: `pastPoints.${error.message}` } }, 409);
    throw error;
  }
};
