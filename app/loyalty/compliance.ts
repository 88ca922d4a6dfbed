import type { Tx } from "./db";
import type { ShopContext } from "./shop-context";

/** Members of the request's customer: by Shopify customer id, or by email. */
function customerMatch(request: { customerId: bigint | null; email: string | null }) {
  return [
    ...(request.customerId ? [{ customerId: request.customerId }] : []),
    ...(request.email ? [{ email: request.email }] : []),
  ];
}

/**
 * GDPR/CCPA requests relayed by Shopify. Personal data is erased; the ledger keeps its
 * rows (points and reasons hold nothing personal) so the shop's totals and liability
 * stay true.
 */

export async function redactCustomer(
  tx: Tx,
  shop: ShopContext,
  request: { customerId: bigint | null; email: string | null; orderIds: bigint[] },
): Promise<{ members: number; orders: number }> {
  const members = await tx.member.findMany({
    where: {
      shopId: shop.id,
      OR: customerMatch(request),
    },
    select: { id: true, email: true },
  });
  const memberIds = members.map((m) => m.id);
  const emails = [...new Set([request.email, ...members.map((m) => m.email)].filter((e): e is string => Boolean(e)))];

  if (memberIds.length) {
    await tx.member.updateMany({
      where: { id: { in: memberIds } },
      data: {
        customerId: null,
        email: null,
        firstName: null,
        locale: null,
        birthday: null,
        emailConsent: false,
        status: "REDACTED",
      },
    });
    await tx.feedback.updateMany({ where: { shopId: shop.id, memberId: { in: memberIds } }, data: { comment: null } });
    await tx.referral.updateMany({ where: { shopId: shop.id, friendMemberId: { in: memberIds } }, data: { friendEmail: null } });
  }
  if (emails.length) {
    await tx.pendingPoints.updateMany({ where: { shopId: shop.id, email: { in: emails } }, data: { email: null } });
    await tx.review.updateMany({ where: { shopId: shop.id, email: { in: emails } }, data: { email: null } });
    await tx.referral.updateMany({ where: { shopId: shop.id, friendEmail: { in: emails } }, data: { friendEmail: null } });
  }
  const orders = await tx.order.updateMany({
    where: {
      shopId: shop.id,
      OR: [
        { id: { in: request.orderIds } },
        ...(request.customerId ? [{ customerId: request.customerId }] : []),
        ...(emails.length ? [{ email: { in: emails } }] : []),
      ],
    },
    data: { email: null, customerId: null },
  });
  await tx.activityLog.create({
    data: {
      shopId: shop.id,
      actor: "shopify",
      action: "compliance.customer_redacted",
      details: { members: memberIds.length, orders: orders.count },
    },
  });
  return { members: memberIds.length, orders: orders.count };
}

/** Everything held about a customer, as JSON, recorded in the activity log for the merchant. */
export async function exportCustomerData(
  tx: Tx,
  shop: ShopContext,
  request: { customerId: bigint | null; email: string | null; orderIds: bigint[]; requestId: bigint | null },
) {
  const member = await tx.member.findFirst({
    where: {
      shopId: shop.id,
      OR: customerMatch(request),
    },
    include: {
      ledgerEntries: { orderBy: { createdAt: "asc" } },
      redemptions: { orderBy: { createdAt: "asc" } },
    },
  });
  const email = member?.email ?? request.email;
  // One after another: a transaction is one connection.
  const orders = await tx.order.findMany({
    where: {
      shopId: shop.id,
      OR: [
        { id: { in: request.orderIds } },
        ...(request.customerId ? [{ customerId: request.customerId }] : []),
        ...(email ? [{ email }] : []),
      ],
    },
  });
  const reviews = email ? await tx.review.findMany({ where: { shopId: shop.id, email } }) : [];
  const pending = email ? await tx.pendingPoints.findMany({ where: { shopId: shop.id, email } }) : [];
  const data = JSON.parse(
    JSON.stringify({ member, orders, reviews, pendingPoints: pending }, (_key, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value,
    ),
  ) as Record<string, unknown>;
  await tx.activityLog.create({
    data: {
      shopId: shop.id,
      actor: "shopify",
      action: "compliance.data_request",
      subject: request.requestId?.toString() ?? null,
      details: data as never,
    },
  });
  return data;
}
