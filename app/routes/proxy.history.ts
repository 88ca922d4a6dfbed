import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { parseDbId } from "../domain/validation";
import { errorResponse, privateJson, PRIVATE } from "../http/responses";
import { findMember } from "../services/members";
import { memberHistory } from "../services/member-view";
import { authenticateProxy } from "../shopify/app-proxy.server";

const PAGE = 20;

/** GET /proxy/history?cursor=<id>&limit=<n>&locale=ru: the member's ledger, newest first, in the reader's language. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId } = context;
  if (!customerId) return errorResponse(401, "login_required", "Sign in first", {}, PRIVATE);
  const url = new URL(request.url);
  const cursorText = url.searchParams.get("cursor");
  const cursor = cursorText ? parseDbId(cursorText) : null;
  if (cursorText && cursor === null) return errorResponse(400, "bad_cursor", "cursor is an entry id", {}, PRIVATE);
  const limit = Number(url.searchParams.get("limit") ?? PAGE);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return errorResponse(400, "bad_limit", "limit is 1 to 100", {}, PRIVATE);
  const member = await findMember(prisma, shop.id, customerId);
  if (!member || member.status !== "ACTIVE")
    return errorResponse(404, "not_a_member", "Join the program first", {}, PRIVATE);
  const locale = url.searchParams.get("locale");
  return privateJson(await memberHistory(prisma, shop, member.id, { cursor, limit, locale }));
};
