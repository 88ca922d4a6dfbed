import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { authenticateProxy, proxyJson } from "../shopify/app-proxy.server";
import { parseDbId } from "../shopify/ids";

const PAGE = 20;

/** GET /proxy/history?cursor=<id>&limit=<n>: the member's ledger, newest first. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId } = context;
  if (!customerId) return proxyJson(401, { error: "login_required" });
  const url = new URL(request.url);
  const cursorText = url.searchParams.get("cursor");
  const cursor = cursorText ? parseDbId(cursorText) : null;
  if (cursorText && cursor === null) return proxyJson(400, { error: "bad_cursor" });
  const limitText = url.searchParams.get("limit") ?? String(PAGE);
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return proxyJson(400, { error: "bad_limit", message: "limit is 1 to 100" });

  const member = await prisma.member.findUnique({
    where: { shopId_customerId: { shopId: shop.id, customerId } },
    select: { id: true, status: true },
  });
  if (!member || member.status !== "ACTIVE") return proxyJson(404, { error: "not_a_member" });
  const rows = await prisma.ledgerEntry.findMany({
    where: { shopId: shop.id, memberId: member.id, ...(cursor ? { id: { lt: cursor } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: { id: true, points: true, kind: true, source: true, reason: true, createdAt: true },
  });
  const page = rows.slice(0, limit);
  return proxyJson(200, {
    entries: page.map((row) => ({ ...row, id: row.id.toString(), createdAt: row.createdAt.toISOString() })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id.toString() : null,
  });
};
