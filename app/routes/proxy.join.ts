import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { errorResponse, privateJson, PRIVATE } from "../http/responses";
import { joinProgram } from "../services/members";
import { memberViewById } from "../services/member-view";
import { authenticateProxy } from "../shopify/app-proxy.server";

/** POST /proxy/join: the logged-in customer joins the program (idempotent). */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId } = context;
  if (!customerId) return errorResponse(401, "login_required", "Sign in to join the program", {}, PRIVATE);
  const joined = await joinProgram(prisma, shop, { customerId, via: "widget" });
  if (joined.kind === "not_live")
    return errorResponse(409, "program_not_live", "The program is not open yet", {}, PRIVATE);
  if (joined.kind === "not_eligible")
    return errorResponse(403, "not_eligible", "This account cannot join", {}, PRIVATE);
  const created = joined.kind === "joined";
  const locale = new URL(request.url).searchParams.get("locale");
  const member = await memberViewById(prisma, shop, joined.member.id, locale);
  return privateJson({ member, created }, created ? 201 : 200);
};
