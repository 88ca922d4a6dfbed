import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { errorResponse, privateJson, readJsonBody, PRIVATE } from "../http/responses";
import { inTransaction } from "../platform/database/db";
import { awardSocialFollow } from "../services/actions";
import { chooseBirthdayGift, setBirthday } from "../services/birthdays";
import { findMember } from "../services/members";
import { claimFriendReward, recordReferralClick } from "../services/referrals";
import { RedemptionError } from "../services/rewards";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { issueNow, redemptionSummary } from "../shopify/redemption.server";

const referralCode = z.string().regex(/^[A-Za-z0-9_-]{3,32}$/);

const body = z.discriminatedUnion("action", [
  z.object({ action: z.literal("social_follow"), network: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
  // MM-DD, or YYYY-MM-DD when the member gives the year too.
  z.object({
    action: z.literal("birthday"),
    birthday: z.string().regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/),
  }),
  z.object({ action: z.literal("birthday_gift"), rewardId: z.string().uuid() }),
  z.object({ action: z.literal("referral_click"), code: referralCode }),
  z.object({ action: z.literal("referral_friend"), code: referralCode, email: z.string().email().max(254).optional() }),
]);

/**
 * POST /proxy/actions: what a shopper tells us from the widget.
 *   { action: "social_follow", network: "instagram" }      points once per network (members)
 *   { action: "birthday", birthday: "MM-DD" | "YYYY-MM-DD" } set once (members)
 *   { action: "birthday_gift", rewardId }                  pick the offered birthday gift (members)
 *   { action: "referral_click", code }                     a member's link was opened (anyone)
 *   { action: "referral_friend", code, email? }            the friend's first-order code (guests by email)
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId, admin } = context;
  const input = await readJsonBody(request, body, { headers: PRIVATE });
  if (!input.ok) return input.response;
  const data = input.data;

  if (data.action === "referral_click") {
    const counted = await recordReferralClick(prisma, shop, data.code);
    return counted
      ? privateJson({ counted })
      : errorResponse(404, "unknown_code", "No member has this link", {}, PRIVATE);
  }
  const member = customerId ? await findMember(prisma, shop.id, customerId) : null;
  const active = member?.status === "ACTIVE" ? member : null;

  if (data.action === "referral_friend") {
    const email = data.email ?? active?.email ?? null;
    if (!email) return errorResponse(400, "email_required", "Enter your email to get your code", {}, PRIVATE);
    const outcome = await claimFriendReward(prisma, shop, {
      code: data.code,
      email,
      memberId: active?.id ?? null,
      customerId,
    });
    switch (outcome.kind) {
      case "issued":
      case "already": {
        const redemption = outcome.redemption && (await issueNow(prisma, shop, outcome.redemption.id, admin));
        return redemption
          ? privateJson(redemptionSummary(redemption), outcome.kind === "issued" ? 201 : 200)
          : errorResponse(409, "already_claimed", "This email has had its code", {}, PRIVATE);
      }
      case "no_reward":
        return errorResponse(404, "no_friend_reward", "This shop has no welcome offer for friends", {}, PRIVATE);
      case "unknown_code":
        return errorResponse(404, "unknown_code", "No member has this link", {}, PRIVATE);
      case "self":
        return errorResponse(409, "own_link", "This is your own link", {}, PRIVATE);
      case "not_new":
        return errorResponse(409, "not_new_customer", "The welcome offer is for a first order", {}, PRIVATE);
      case "taken":
        return errorResponse(409, "already_referred", "Another member invited this email first", {}, PRIVATE);
    }
  }

  if (!customerId) return errorResponse(401, "login_required", "Sign in first", {}, PRIVATE);
  if (!active) return errorResponse(403, "not_a_member", "Join the program first", {}, PRIVATE);

  if (data.action === "social_follow") {
    const network = data.network;
    const awarded = await inTransaction(prisma, (tx) => awardSocialFollow(tx, shop, active.id, network));
    if (awarded === null) return errorResponse(404, "unknown_network", "This shop has no such network", {}, PRIVATE);
    return privateJson({ awarded });
  }
  if (data.action === "birthday_gift") {
    try {
      const chosen = await chooseBirthdayGift(prisma, shop, active.id, data.rewardId);
      const redemption = await issueNow(prisma, shop, chosen.id, admin);
      return privateJson(redemptionSummary(redemption ?? chosen), 201);
    } catch (error) {
      if (error instanceof RedemptionError) return errorResponse(error.status, error.code, error.message, {}, PRIVATE);
      throw error;
    }
  }
  const [year, month, day] = (data.birthday.length === 10 ? data.birthday : `-${data.birthday}`)
    .split("-")
    .map((part) => (part ? Number(part) : null)) as [number | null, number, number];
  const result = await setBirthday(prisma, active.id, { month, day, year });
  if (result === "invalid_date") return errorResponse(400, "invalid_date", "That date does not exist", {}, PRIVATE);
  if (result === "already_set") return errorResponse(409, "already_set", "Your birthday is already saved", {}, PRIVATE);
  return privateJson({ saved: true });
};
