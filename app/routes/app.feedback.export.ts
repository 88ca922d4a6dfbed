import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { feedbackFilters, feedbackList } from "../services/feedback";
import { adminContext } from "../shopify/admin-context.server";

/**
 * GET /app/feedback/export?days=&band=&tier=: the responses the page shows, as CSV (UTF-8
 * with a byte-order mark so spreadsheet apps read Cyrillic), every field quoted.
 */
const cell = (value: unknown) => `"${String(value ?? "").replace(/"/g, '""')}"`;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const { filters } = feedbackFilters(new URL(request.url).searchParams);
  const rows = await feedbackList(prisma, shop.id, filters, 100_000);
  const lines = [
    ["answered_at", "score", "order_id", "member_email", "member_name", "comment"].map(cell).join(","),
    ...rows.map((r) =>
      [r.createdAt.toISOString(), r.score, r.orderId?.toString(), r.member?.email, r.member?.firstName, r.comment]
        .map(cell)
        .join(","),
    ),
  ];
  return new Response(`\uFEFF${lines.join("\r\n")}\r\n`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="comeback-feedback-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
