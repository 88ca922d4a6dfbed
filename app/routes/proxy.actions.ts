import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { errorResponse, privateJson, readJsonBody, PRIVATE } from "../http/responses";
import { inTransaction } from "../platform/database/db";
import { awardSocialFollow } from "../services/actions";
import { findMember, setBirthday } from "../services/members";
import { authenticateProxy } from "../shopify/app-proxy.server";

const body = z.discriminatedUnion("action", [
  z.object({ action: z.literal("social_follow"), network: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
  z.object({ action: z.literal("birthday"), birthday: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/) }),
]);

/**
 * POST /proxy/actions: what a member tells us from the widget.
 *   { action: "social_follow", network: "instagram" }  points once per network
 *   { action: "birthday", birthday: "MM-DD" }          set once; the gift comes on the day
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId } = context;
  if (!customerId) return errorResponse(401, "login_required", "Sign in first", {}, PRIVATE);
  const input = await readJsonBody(request, body, { headers: PRIVATE });
  if (!input.ok) return input.response;
  const member = await findMember(prisma, shop.id, customerId);
  if (!member || member.status !== "ACTIVE")
    return errorResponse(403, "not_a_member", "Join the program first", {}, PRIVATE);

  if (input.data.action === "social_follow") {
    const network = input.data.network;
    const awarded = await inTransaction(prisma, (tx) => awardSocialFollow(tx, shop, member.id, network));
    if (awarded === null) return errorResponse(404, "unknown_network", "This shop has no such network", {}, PRIVATE);
    return privateJson({ awarded });
  }
  const [month, day] = input.data.birthday.split("-").map(Number) as [number, number];
  const result = await setBirthday(prisma, member.id, { month, day });
  if (result === "invalid_date") return errorResponse(400, "invalid_date", "That date does not exist", {}, PRIVATE);
  if (result === "already_set") return errorResponse(409, "already_set", "Your birthday is already saved", {}, PRIVATE);
  return privateJson({ saved: true });
};
