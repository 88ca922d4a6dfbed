import { pseudonym } from "../platform/personal-data.server";
import { inTransaction, type Db, type Tx } from "../platform/database/db";
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
 * stay true. Nothing personal goes into the activity log: a data request's export is a
 * file the merchant downloads, and erasing the customer deletes it.
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
    await tx.referral.updateMany({
      where: { shopId: shop.id, friendMemberId: { in: memberIds } },
      data: { friendEmail: null },
    }); // Nothing is sent to them again, and what was sent is forgotten.
    await tx.messageLog.deleteMany({ where: { shopId: shop.id, memberId: { in: memberIds } } });
  }
  if (emails.length) await tx.messageLog.deleteMany({ where: { shopId: shop.id, email: { in: emails } } });
  if (emails.length) {
    await tx.dataExport.deleteMany({ where: { shopId: shop.id, emailKey: { in: emails.map(pseudonym) } } });
    // Keys written before they were pseudonymous named the email itself.
    for (const email of emails) {
      await tx.$executeRaw`
        UPDATE "LedgerEntry" SET "idempotencyKey" = replace("idempotencyKey", ${email}, ${pseudonym(email)})
        WHERE "shopId" = ${shop.id}::uuid AND strpos("idempotencyKey", ${email}) > 0`;
      await tx.$executeRaw`
        UPDATE "PendingPoints" SET "idempotencyKey" = replace("idempotencyKey", ${email}, ${pseudonym(email)})
        WHERE "shopId" = ${shop.id}::uuid AND strpos("idempotencyKey", ${email}) > 0`;
    }
    await tx.pendingPoints.updateMany({ where: { shopId: shop.id, email: { in: emails } }, data: { email: null } });
    await tx.review.updateMany({ where: { shopId: shop.id, email: { in: emails } }, data: { email: null } });
    await tx.referral.updateMany({
      where: { shopId: shop.id, friendEmail: { in: emails } },
      data: { friendEmail: null },
    });
  }
  if (request.customerId)
    await tx.dataExport.deleteMany({ where: { shopId: shop.id, customerId: request.customerId } });
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

/**
 * Everything held about a customer, as JSON: kept as an export the merchant downloads
 * (Shopify expects the merchant to hand it to the customer), with only its id in the log.
 */
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
  const file = await tx.dataExport.create({
    data: {
      shopId: shop.id,
      requestId: request.requestId,
      customerId: request.customerId,
      emailKey: email ? pseudonym(email) : null,
      content: data as never,
    },
  });
  await tx.activityLog.create({
    data: {
      shopId: shop.id,
      actor: "shopify",
      action: "compliance.data_request",
      subject: request.requestId?.toString() ?? null,
      details: { exportId: file.id, orders: orders.length, ledgerEntries: member?.ledgerEntries.length ?? 0 },
    },
  });
  return { exportId: file.id, data };
}

/** A data-request export for the merchant to download; each download is logged. */
export async function downloadExport(db: Db, shopId: string, exportId: string, actor: string) {
  return inTransaction(db, async (tx) => {
    const file = await tx.dataExport.findFirst({ where: { id: exportId, shopId } });
    if (!file) return null;
    await tx.dataExport.update({ where: { id: file.id }, data: { downloadedAt: new Date() } });
    await tx.activityLog.create({ data: { shopId, actor, action: "compliance.export_downloaded", subject: file.id } });
    return file;
  });
}
