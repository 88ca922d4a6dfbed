import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { z } from "zod";
import prisma from "../db.server";
import { languageOf } from "../domain/localized";
import { errorResponse, PRIVATE, readJsonBody } from "../http/responses";
import { isPanelTextKey } from "../i18n/panel";
import { surveyLink } from "../integrations/email/links.server";
import { appConfig } from "../platform/runtime.server";
import { storefrontView, type HistoryPage } from "../services/member-view";
import { authenticateProxy, type ProxyContext } from "../shopify/app-proxy.server";
import { shopperAction, shopperHistory, shopperJoin, shopperRedeem } from "../shopify/shopper-api.server";
import { Panel, type PanelNote } from "../storefront/panel";

/**
 * The storefront panel's content as HTML (see storefront/panel.tsx).
 *
 *   GET  /proxy/panel?locale&origin&path&hide&ref&history=1   the panel for this shopper
 *   POST /proxy/panel?…  { do: "redeem" | "gift" | "follow" | "birthday" | "friend" | "join", … }
 *        does it through the same handlers as the JSON routes, and answers the panel with
 *        the outcome on top.
 */
const SECTIONS = ["rewards", "earn", "referral", "history"] as const;
const query = z.object({
  locale: z.string().max(35).nullish(),
  origin: z
    .string()
    .max(200)
    .regex(/^https?:\/\/[^/?#\s]+$/, "origin must be the storefront's origin, e.g. https://shop.example"),
  // Product and collection paths can be long; "Apply to cart" returns to this one.
  path: z.string().max(2048).regex(/^\//, "path must start with /").default("/"),
  hide: z
    .string()
    .regex(/^(rewards|earn|referral|history)?(,(rewards|earn|referral|history))*$/)
    .default(""),
  ref: z
    .string()
    .regex(/^[A-Za-z0-9_-]{3,32}$/)
    .nullish(),
  history: z.literal("1").nullish(),
});

const body = z.discriminatedUnion("do", [
  z.object({ do: z.literal("redeem"), rewardId: z.string().uuid() }),
  z.object({ do: z.literal("gift"), rewardId: z.string().uuid() }),
  z.object({ do: z.literal("follow"), network: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
  z.object({
    do: z.literal("birthday"),
    day: z.coerce.number().int().min(1).max(31),
    month: z.coerce.number().int().min(1).max(12),
    year: z.union([z.literal(""), z.coerce.number().int().min(1900).max(2100)]).optional(),
  }),
  z.object({
    do: z.literal("friend"),
    code: z.string().regex(/^[A-Za-z0-9_-]{3,32}$/),
    email: z.string().email().max(254).optional(),
  }),
  z.object({ do: z.literal("join") }),
]);
type Body = z.infer<typeof body>;

async function render(request: Request, context: ProxyContext, note: PanelNote | null): Promise<Response> {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return errorResponse(400, "invalid_query", `${issue.path.join(".")}: ${issue.message}`, {}, PRIVATE);
  }
  const input = parsed.data;
  const { shop, customerId, pathPrefix } = context;
  const locale = input.locale ?? null;
  const language = languageOf(locale) ?? "en";
  // An unanswered survey's scores link to the email's one-click answer page, in the panel's language.
  const scores = (messageId: string, lang: string) =>
    Array.from(
      { length: 11 },
      (_, score) => `${surveyLink(appConfig().apiSecret, pathPrefix, messageId, score)}&l=${lang}`,
    );
  const view = await storefrontView(prisma, shop, customerId, locale, scores);
  let history: HistoryPage | null = null;
  if (input.history && view.member) {
    const page = await shopperHistory(
      { ...context, via: "widget" },
      new URL(`http://proxy/history?limit=10&locale=${encodeURIComponent(locale ?? "")}`),
    );
    if (page.ok) history = (await page.json()) as HistoryPage;
  }
  const hidden = new Set(input.hide.split(","));
  const html = renderToStaticMarkup(
    <Panel
      view={view}
      language={language}
      pointsName={shop.settings.pointsName}
      sections={
        Object.fromEntries(SECTIONS.map((s) => [s, !hidden.has(s)])) as Record<(typeof SECTIONS)[number], boolean>
      }
      proxy={pathPrefix}
      origin={input.origin}
      path={input.path}
      referral={input.ref ?? null}
      history={history}
      note={note}
      login="/account/login"
      register="/account/register"
    />,
  );
  return new Response(html, { headers: { ...PRIVATE, "Content-Type": "text/html; charset=utf-8" } });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  return render(request, context, null);
};

/** An error answer of the JSON handlers, in the shopper's words where we have them. */
async function failure(response: Response): Promise<PanelNote> {
  const { error } = (await response.json().catch(() => ({}))) as { error?: string };
  if (error && isPanelTextKey(error)) return { kind: "text", key: error };
  return { kind: "text", key: "error" };
}

async function perform(context: ProxyContext, input: Body, locale: string | null): Promise<PanelNote | null> {
  const shopper = { ...context, via: "widget" as const };
  switch (input.do) {
    case "join": {
      const response = await shopperJoin(shopper, locale);
      return response.ok ? null : failure(response);
    }
    case "redeem": {
      const response = await shopperRedeem(shopper, input.rewardId);
      const result = (await response.clone().json()) as {
        code?: string | null;
        credited?: { amountMinor: number; currency: string } | null;
      };
      if (response.status === 201 && result.credited) return { kind: "credited", ...result.credited };
      if (response.status === 201 && result.code) return { kind: "issued", code: result.code };
      if (response.status === 202) return { kind: "text", key: "redeem_pending" };
      if (response.status === 409) return { kind: "text", key: "not_enough" };
      return { kind: "text", key: "redeem_failed" };
    }
    case "gift": {
      const response = await shopperAction(shopper, { action: "birthday_gift", rewardId: input.rewardId });
      const result = (await response.clone().json()) as { code?: string | null };
      if (response.ok && result.code) return { kind: "issued", code: result.code };
      return response.ok ? { kind: "text", key: "redeem_pending" } : failure(response);
    }
    case "follow": {
      const response = await shopperAction(shopper, { action: "social_follow", network: input.network });
      if (!response.ok) return failure(response);
      const { awarded } = (await response.json()) as { awarded: number };
      return { kind: "followed", points: awarded };
    }
    case "birthday": {
      const date = `${input.year ? `${input.year}-` : ""}${String(input.month).padStart(2, "0")}-${String(input.day).padStart(2, "0")}`;
      const response = await shopperAction(shopper, { action: "birthday", birthday: date });
      return response.ok ? { kind: "birthday_saved" } : failure(response);
    }
    case "friend": {
      const response = await shopperAction(shopper, {
        action: "referral_friend",
        code: input.code,
        ...(input.email ? { email: input.email } : {}),
      });
      const result = (await response.clone().json()) as { code?: string | null };
      if (response.ok && result.code) return { kind: "friend_code", code: result.code };
      return response.ok ? { kind: "text", key: "redeem_pending" } : failure(response);
    }
  }
}

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return errorResponse(405, "method_not_allowed", undefined, {}, PRIVATE);
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const input = await readJsonBody(request, body, { headers: PRIVATE });
  if (!input.ok) return input.response;
  const note = await perform(context, input.data, new URL(request.url).searchParams.get("locale"));
  return render(request, context, note);
};
