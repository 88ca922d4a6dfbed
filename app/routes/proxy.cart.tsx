import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { z } from "zod";
import { CartRewards, type CartNote } from "../storefront/cart-rewards";
import prisma from "../db.server";
import { errorResponse, PRIVATE } from "../http/responses";
import { cartOffer } from "../services/cart-offer";
import { authenticateProxy } from "../shopify/app-proxy.server";

/**
 * GET /proxy/cart?locale&subtotal&total&discount&currency&codes&note → the cart block as
 * an HTML fragment. The storefront script reads the cart from Shopify's Cart AJAX API
 * (`/cart.js`) and passes what the rules need: the subtotal before discounts, the total
 * and discount after them (minor units), and the codes with Shopify's `applicable`
 * (`CODE~1,OTHER~0`). `note` reports the last tap (`applied:CODE`, `removed:CODE`,
 * `credited:<minor>`, `pending`, `not_enough`, `failed`).
 */
const minor = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const query = z.object({
  locale: z.string().max(35).nullish(),
  subtotal: minor,
  total: minor,
  discount: minor.default(0),
  currency: z.string().regex(/^[A-Z]{3}$/, "currency must be an ISO 4217 code such as USD"),
  codes: z
    .string()
    .max(2000)
    // A code is anything but the list's separators (a merchant's code may hold a space).
    .regex(/^([^,~]{1,255}~[01])?(,[^,~]{1,255}~[01])*$/, "codes must look like CODE~1,OTHER~0")
    .default(""),
  note: z
    .string()
    .regex(/^(applied:[^,~]{1,255}|removed:[^,~]{1,255}|credited:\d{1,15}|pending|not_enough|failed)$/)
    .nullish(),
});

function readNote(note: string | null | undefined): CartNote | null {
  if (!note) return null;
  const [kind, value = ""] = note.split(/:(.*)/s) as [string, string?];
  if (kind === "applied" || kind === "removed") return { kind, code: value };
  if (kind === "credited") return { kind, amountMinor: Number(value) };
  return { kind: kind as "pending" | "not_enough" | "failed" };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return errorResponse(400, "invalid_query", `${issue.path.join(".")}: ${issue.message}`, {}, PRIVATE);
  }
  const input = parsed.data;
  const codes = input.codes
    ? input.codes.split(",").map((entry) => {
        const [code, flag] = entry.split("~") as [string, string];
        return { code, applicable: flag === "1" };
      })
    : [];
  const { shop, customerId } = context;
  const offer = await cartOffer(prisma, shop, customerId, input.locale ?? null, {
    subtotalMinor: input.subtotal,
    currency: input.currency,
    codes,
  });
  const html = renderToStaticMarkup(
    <CartRewards
      offer={offer}
      totals={{ currency: input.currency, totalMinor: input.total, discountMinor: input.discount }}
      cartCodes={codes.map((c) => c.code)}
      note={readNote(input.note)}
      pointsName={shop.settings.pointsName}
      login="/account/login"
    />,
  );
  return new Response(html, { headers: { ...PRIVATE, "Content-Type": "text/html; charset=utf-8" } });
};
