import { randomInt } from "node:crypto";
import type { Member } from "../generated/prisma/client";
import { inTransaction, type Db, type Tx } from "../platform/database/db";
import { awardNewsletter } from "./actions";
import { postEntry } from "./ledger";
import { creditPendingForMember } from "./pending";
import { upgradeAfterEarning } from "./tiers";
import type { ShopContext } from "./shop-context";

/** No 0/O, 1/I/L: codes are read aloud and typed from phones. */
const REFERRAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function generateReferralCode(length = 8): string {
  let code = "";
  for (let i = 0; i < length; i++) code += REFERRAL_ALPHABET[randomInt(REFERRAL_ALPHABET.length)];
  return code;
}

export interface EnrollInput {
  customerId: bigint;
  email: string | null;
  firstName?: string | null;
  locale?: string | null;
  emailConsent?: boolean;
  /** What made them join, for the activity log and the signup entry's reason. */
  via: "customer_created" | "order" | "widget" | "account" | "thank_you" | "import" | "admin";
}

export interface EnrollResult {
  member: Member;
  created: boolean;
}

/**
 * Enrolls a Shopify customer, once. Joining awards the signup bonus (once per customer,
 * whatever path they joined by) and credits points held for their email: guest orders
 * placed before they had an account, and reviews they wrote.
 */
export async function enrollMember(tx: Tx, shop: ShopContext, input: EnrollInput): Promise<EnrollResult> {
  const existing = await tx.member.findUnique({
    where: { shopId_customerId: { shopId: shop.id, customerId: input.customerId } },
  });
  if (existing) return { member: existing, created: false };

  // ON CONFLICT: a parallel webhook for the same customer may enroll them first.
  let member: Member | null = null;
  for (let attempt = 0; attempt < 5 && !member; attempt++) {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", locale, "emailConsent", "referralCode", "updatedAt")
      VALUES (gen_random_uuid(), ${shop.id}::uuid, ${input.customerId}, ${input.email}, ${input.firstName ?? null},
              ${input.locale ?? null}, ${input.emailConsent ?? false}, ${generateReferralCode()}, now())
      ON CONFLICT DO NOTHING
      RETURNING id`;
    if (rows[0]) {
      member = await tx.member.findUniqueOrThrow({ where: { id: rows[0].id } });
      break;
    }
    const raced = await tx.member.findUnique({
      where: { shopId_customerId: { shopId: shop.id, customerId: input.customerId } },
    });
    if (raced) return { member: raced, created: false };
    // Otherwise the referral code collided: try another.
  }
  if (!member) throw new Error("could not allocate a referral code");

  const signup = shop.rules.get("SIGNUP");
  if (signup && signup.points > 0 && shop.live) {
    await postEntry(tx, {
      shopId: shop.id,
      memberId: member.id,
      points: signup.points,
      kind: "EARN",
      source: "SIGNUP",
      reason: { code: "signup" },
      idempotencyKey: `signup:${input.customerId}`,
    });
  }
  if (member.email) await creditPendingForMember(tx, shop, member);
  if (member.emailConsent) await awardNewsletter(tx, shop, member.id);
  await upgradeAfterEarning(tx, shop, member.id, "signup");
  await tx.activityLog.create({
    data: {
      shopId: shop.id,
      actor: "system",
      action: "member.enrolled",
      subject: member.id,
      details: { via: input.via },
    },
  });
  return { member: await tx.member.findUniqueOrThrow({ where: { id: member.id } }), created: true };
}

/** Keeps the little we store about a customer in step with Shopify. */
export async function refreshMemberProfile(
  tx: Tx,
  shop: ShopContext,
  input: {
    customerId: bigint;
    email: string | null;
    firstName: string | null;
    locale: string | null;
    emailConsent?: boolean;
  },
): Promise<Member | null> {
  const member = await tx.member.findUnique({
    where: { shopId_customerId: { shopId: shop.id, customerId: input.customerId } },
  });
  if (!member || member.status === "REDACTED") return member;
  const updated = await tx.member.update({
    where: { id: member.id },
    data: {
      email: input.email,
      firstName: input.firstName,
      // Customer payloads carry no locale since 2025-01: keep what an order told us.
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.emailConsent !== undefined ? { emailConsent: input.emailConsent } : {}),
    },
  });
  if (updated.email && updated.email !== member.email) await creditPendingForMember(tx, shop, updated);
  if (updated.emailConsent && !member.emailConsent) await awardNewsletter(tx, shop, updated.id);
  return updated;
}

/** A customer's email marketing consent changed in Shopify (subscribing earns NEWSLETTER once). */
export async function updateEmailConsent(
  tx: Tx,
  shop: ShopContext,
  customerId: bigint,
  subscribed: boolean,
): Promise<Member | null> {
  const member = await tx.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  if (!member || member.status === "REDACTED") return member;
  const updated =
    member.emailConsent === subscribed
      ? member
      : await tx.member.update({ where: { id: member.id }, data: { emailConsent: subscribed } });
  if (subscribed && updated.status === "ACTIVE") await awardNewsletter(tx, shop, updated.id);
  return updated;
}

/** The shop's member for a Shopify customer, if any (whatever their status). */
export function findMember(db: Db, shopId: string, customerId: bigint): Promise<Member | null> {
  return db.member.findUnique({ where: { shopId_customerId: { shopId, customerId } } });
}

export type JoinResult =
  | { kind: "joined"; member: Member }
  | { kind: "already_member"; member: Member }
  | { kind: "not_live" }
  | { kind: "not_eligible" };

/**
 * A customer asks to join (the widget, the Thank-you page): who can, and the one way it
 * happens. Excluded and erased customers cannot; joining twice changes nothing.
 */
export async function joinProgram(
  db: Db,
  shop: ShopContext,
  input: Omit<EnrollInput, "email"> & { email?: string | null },
): Promise<JoinResult> {
  if (!shop.live) return { kind: "not_live" };
  return inTransaction(db, async (tx) => {
    const existing = await findMember(tx, shop.id, input.customerId);
    if (existing && existing.status !== "ACTIVE") return { kind: "not_eligible" as const };
    // Without an email here, it arrives with customers/update; held points follow then.
    const { member, created } = await enrollMember(tx, shop, {
      ...input,
      email: input.email ?? existing?.email ?? null,
    });
    return { kind: created ? ("joined" as const) : ("already_member" as const), member };
  });
}
