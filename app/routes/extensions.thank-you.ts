import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { errorResponse, privateJson, readJsonBody, PRIVATE } from "../http/responses";
import { joinProgram } from "../services/members";
import { presentThankYou, recordThankYouEvent, thankYouView } from "../services/thank-you";
import { requestShopifySync } from "../shopify/customer-sync.server";
import { authorizeThankYou, type ThankYouAccess } from "../shopify/thank-you.server";
import { authenticate } from "../shopify.server";

/**
 * The Thank-you page block's backend.
 *   GET  /extensions/thank-you?order=<id>&number=<confirmation number>&first=0|1&locale=<lang> → what to show
 *   POST /extensions/thank-you { order, number, event: "join" | "join_clicked", locale } → one-tap join
 * Authenticated with the checkout session token (authenticate.public.checkout, which also
 * answers CORS preflights). The order is read from the Admin API, never from the browser.
 */

function refusal(access: Extract<ThankYouAccess, { ok: false }>): Response {
  const headers: HeadersInit = {
    ...PRIVATE,
    ...(access.retryAfter ? { "Retry-After": String(access.retryAfter) } : {}),
  };
  return errorResponse(access.status, access.error, access.message, {}, headers);
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  const url = new URL(request.url);
  const access = await authorizeThankYou(
    prisma,
    sessionToken,
    url.searchParams.get("order"),
    url.searchParams.get("number"),
  );
  if (!access.ok) return cors(refusal(access));
  const { shop, order, buyer } = access;
  const view = await thankYouView(
    prisma,
    shop,
    order,
    url.searchParams.get("first") === "1",
    url.searchParams.get("locale"),
  );
  if (view.state === "off") return cors(privateJson(view));
  await recordThankYouEvent(prisma, shop.id, "viewed", order.id);
  return cors(privateJson(presentThankYou(view, buyer, order.email)));
};

const body = z.object({
  order: z.string().max(100),
  number: z.string().max(64).optional(),
  event: z.enum(["join", "join_clicked"]),
  /** The buyer's language (BCP 47), for names and the points' word. */
  locale: z.string().max(35).optional(),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  // Preflight OPTIONS requests are answered inside authenticate (CORS).
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  if (request.method !== "POST") return cors(errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE));
  const input = await readJsonBody(request, body, { headers: PRIVATE });
  if (!input.ok) return cors(input.response);
  const access = await authorizeThankYou(prisma, sessionToken, input.data.order, input.data.number ?? null);
  if (!access.ok) return cors(refusal(access));
  const { shop, order, buyer } = access;
  if (input.data.event === "join_clicked") {
    await recordThankYouEvent(prisma, shop.id, "joinClicked", order.id);
    return cors(privateJson({ recorded: true }));
  }
  if (!order.customerId) return cors(errorResponse(409, "guest_order", "Create an account to join", {}, PRIVATE));
  const joined = await joinProgram(prisma, shop, {
    customerId: order.customerId,
    email: order.email,
    via: "thank_you",
  });
  if (joined.kind === "not_live") return cors(errorResponse(409, "program_not_live", undefined, {}, PRIVATE));
  if (joined.kind === "not_eligible") return cors(errorResponse(403, "not_eligible", undefined, {}, PRIVATE));
  await recordThankYouEvent(prisma, shop.id, "joined", order.id, joined.member.id);
  void requestShopifySync(shop.id);
  const view = presentThankYou(
    await thankYouView(prisma, shop, order, false, input.data.locale ?? null),
    buyer,
    order.email,
  );
  return cors(privateJson(view, joined.kind === "joined" ? 201 : 200));
};
