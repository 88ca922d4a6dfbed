import type { Db } from "../platform/database/db";

/**
 * What the home page's checklist reads from the database (domain/get-started.ts has the
 * rules). Each is one "is there any" lookup, so the page stays fast at any size.
 */

/**
 * What services/admin/messages.ts logs when a merchant saves the sender settings, a
 * kind's switch or timing, a template or its reset, or sends a test: any of them means
 * the emails have been looked at.
 */
const EMAIL_REVIEW_ACTIONS = [
  "messages.settings",
  "messages.kind",
  "messages.template",
  "messages.templateReset",
  "messages.test",
];

export async function getStartedFacts(db: Db, shopId: string) {
  const [member, redemption, emails] = await Promise.all([
    db.member.findFirst({ where: { shopId }, select: { id: true } }),
    // A member's own redemption that reached Shopify: a referred friend's code is not
    // one, and a redemption Shopify refused gave the points back.
    db.redemption.findFirst({
      where: { shopId, memberId: { not: null }, status: { in: ["ISSUED", "USED", "EXPIRED"] } },
      select: { id: true },
    }),
    db.activityLog.findFirst({
      where: { shopId, action: { in: EMAIL_REVIEW_ACTIONS } },
      select: { id: true },
    }),
  ]);
  return { hasMember: member !== null, hasRedemption: redemption !== null, emailsReviewed: emails !== null };
}
