import type { ActionFunctionArgs } from "@remix-run/node";
import { errorResponse, readJsonBody, PRIVATE } from "../http/responses";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { actionBody, shopperAction } from "../shopify/shopper-api.server";

/** POST /proxy/actions: what a shopper tells us from the widget (see shopperAction). */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const input = await readJsonBody(request, actionBody, { headers: PRIVATE });
  if (!input.ok) return input.response;
  return shopperAction({ ...context, via: "widget" }, input.data);
};
