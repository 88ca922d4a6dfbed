import { z } from "zod";
import prisma from "../db.server";
import { parseDbId } from "../domain/validation";
import { errorResponse, privateJson, PRIVATE } from "../http/responses";
import { inTransaction } from "../platform/database/db";
import { awardSocialFollow } from "../services/actions";
import { chooseBirthdayGift, setBirthday } from "../services/birthdays";
import { findMember, joinProgram } from "../services/members";
import { memberHistory, memberViewById } from "../services/member-view";
import { claimFriendReward, recordReferralClick } from "../services/referrals";
import { RedemptionError } from "../services/rewards";
import type { ShopContext } from "../services/shop-context";
import type { AuthenticatedAdmin } from "./admin-api.server";
import { issueNow, redeemReward, redemptionSummary } from "./redemption.server";

/**
 * What a shopper can ask of the program, whichever Shopify surface vouched for them: the
 * App Proxy (the theme widget; Shopify signs the customer id into the query) or a
 * customer-account extension (the session token's `sub`). The customer always comes from
 * that proof, never from the body. Each answer is JSON with a machine-readable error code.
 */
export interface ShopperContext {
  shop: ShopContext;
  customerId: bigint | null;
  /** The Admin client the surface's authentication gave, if any (the offline token otherwise). */
  admin?: AuthenticatedAdmin;
  /** How a join is recorded ("widget", "account"). */
  via: "widget" | "account";
}

export const HISTORY_PAGE = 20;

/** The customer joins the program (idempotent): 201 with their view, or 200 if they were a member. */
export async function shopperJoin(context: ShopperContext, locale: string | null): Promise<Response> {
  const { shop, customerId } = context;
  if (!customerId) return errorResponse(401, "login_required", "Sign in to join the program", {}, PRIVATE);
  const joined = await joinProgram(prisma, shop, { customerId, via: context.via });
  if (joined.kind === "not_live")
    return errorResponse(409, "program_not_live", "The program is not open yet", {}, PRIVATE);
  if (joined.kind === "not_eligible")
    return errorResponse(403, "not_eligible", "This account cannot join", {}, PRIVATE);
  const created = joined.kind === "joined";
  const member = await memberViewById(prisma, shop, joined.member.id, locale);
  return privateJson({ member, created }, created ? 201 : 200);
}

export const redeemBody = z.object({ rewardId: z.string().uuid() });

/**
 * 201 { code, … } once Shopify has the discount (or 201 { credited } for store credit);
 * 202 { status: "pending" } if Shopify is slow (a job finishes it or returns the points);
 * 409 when the balance does not cover it; 502 when Shopify refuses (points returned).
 */
export async function shopperRedeem(context: ShopperContext, rewardId: string): Promise<Response> {
  const { shop, customerId, admin } = context;
  if (!customerId) return errorResponse(401, "login_required", "Sign in to redeem rewards", {}, PRIVATE);
  const result = await redeemReward(prisma, shop, { customerId, rewardId, admin });
  if (!result.ok) return errorResponse(result.error.status, result.error.code, result.error.message, {}, PRIVATE);
  const { redemption, balance } = result;
  const summary = { ...redemptionSummary(redemption), balance };
  if (redemption.status === "ISSUED") return privateJson(summary, 201);
  if (redemption.status === "FAILED") {
    return privateJson(
      { ...summary, error: "shopify_rejected", message: "The reward could not be issued; your points are back" },
      502,
    );
  }
  return privateJson({ ...summary, message: "Your reward is being prepared" }, 202);
}

/** The member's ledger, newest first by keyset (?cursor=<entry id>&limit=1..100), in the reader's language. */
export async function shopperHistory(context: ShopperContext, url: URL): Promise<Response> {
  const { shop, customerId } = context;
  if (!customerId) return errorResponse(401, "login_required", "Sign in first", {}, PRIVATE);
  const cursorText = url.searchParams.get("cursor");
  const cursor = cursorText ? parseDbId(cursorText) : null;
  if (cursorText && cursor === null) return errorResponse(400, "bad_cursor", "cursor is an entry id", {}, PRIVATE);
  const limit = Number(url.searchParams.get("limit") ?? HISTORY_PAGE);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return errorResponse(400, "bad_limit", "limit is 1 to 100", {}, PRIVATE);
  const member = await findMember(prisma, shop.id, customerId);
  if (!member || member.status !== "ACTIVE")
    return errorResponse(404, "not_a_member", "Join the program first", {}, PRIVATE);
  const locale = url.searchParams.get("locale");
  return privateJson(await memberHistory(prisma, shop, member.id, { cursor, limit, locale }));
}

const referralCode = z.string().regex(/^[A-Za-z0-9_-]{3,32}$/);

export const actionBody = z.discriminatedUnion("action", [
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
 *   { action: "social_follow", network: "instagram" }      points once per network (members)
 *   { action: "birthday", birthday: "MM-DD" | "YYYY-MM-DD" } set once (members)
 *   { action: "birthday_gift", rewardId }                  pick the offered birthday gift (members)
 *   { action: "referral_click", code }                     a member's link was opened (anyone)
 *   { action: "referral_friend", code, email? }            the friend's first-order code (guests by email)
 */
export async function shopperAction(context: ShopperContext, data: z.infer<typeof actionBody>): Promise<Response> {
  const { shop, customerId, admin } = context;
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
}
