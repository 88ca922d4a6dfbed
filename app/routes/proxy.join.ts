import type { ActionFunctionArgs } from "@remix-run/node";
import { errorResponse, PRIVATE } from "../http/responses";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { shopperJoin } from "../shopify/shopper-api.server";

/** POST /proxy/join?locale=ru: the logged-in customer joins the program (idempotent). */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  return shopperJoin({ ...context, via: "widget" }, new URL(request.url).searchParams.get("locale"));
};
