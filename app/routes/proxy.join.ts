import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { inTransaction } from "../loyalty/db";
import { enrollMember } from "../loyalty/members";
import { loadProgram, memberView } from "../loyalty/member-view";
import { authenticateProxy, proxyJson } from "../shopify/app-proxy.server";

/** POST /proxy/join: the logged-in customer joins the program (idempotent). */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return proxyJson(405, { error: "method_not_allowed" });
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId } = context;
  if (!customerId) return proxyJson(401, { error: "login_required", message: "Sign in to join the program" });
  if (!shop.live) return proxyJson(409, { error: "program_not_live", message: "The program is not open yet" });
  const existing = await prisma.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  if (existing && existing.status !== "ACTIVE") return proxyJson(403, { error: "not_eligible" });
  // The email arrives with customers/update; points held for it are credited then.
  const { member, created } = await inTransaction(prisma, (tx) =>
    enrollMember(tx, shop, { customerId, email: existing?.email ?? null, via: "widget" }),
  );
  const { rewards, tiers } = await loadProgram(prisma, shop);
  return proxyJson(created ? 201 : 200, { member: await memberView(prisma, shop, member, rewards, tiers), created });
};
