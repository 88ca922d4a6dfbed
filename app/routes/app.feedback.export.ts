import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { csvResponse } from "../http/csv";
import { allFeedback, feedbackFilters } from "../services/feedback";
import { adminContext } from "../shopify/admin-context.server";

/** GET /app/feedback/export?days=&band=&tier=: every response the page's filters match, as CSV. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const { filters } = feedbackFilters(new URL(request.url).searchParams);
  async function* rows() {
    for await (const r of allFeedback(prisma, shop.id, filters))
      yield [
        r.createdAt.toISOString(),
        r.score,
        r.orderId?.toString(),
        r.member?.email,
        r.member?.firstName,
        r.comment,
      ];
  }
  return csvResponse(
    `comeback-feedback-${new Date().toISOString().slice(0, 10)}.csv`,
    ["answered_at", "score", "order_id", "member_email", "member_name", "comment"],
    rows(),
  );
};
