/** @jsxImportSource preact */
import type {} from "@shopify/ui-extensions/purchase.thank-you.block.render";
import { useEffect, useState } from "preact/hooks";

/**
 * The Thank-you page block. Everything it shows comes from the app's
 * /extensions/thank-you, which reads the order from the Admin API: the block sends only
 * the order's id and Shopify's session token.
 */

/** The parts of Shopify's extension API the block uses (the `shopify` global). */
export interface ThankYouApi {
  orderConfirmation: { value: { order: { id: string }; number?: string; isFirstOrder: boolean } | undefined };
  sessionToken: { get(): Promise<string> };
  i18n: {
    translate(key: string, options?: Record<string, string | number>): string;
    formatCurrency(amount: number, options?: { currency?: string }): string;
    formatNumber(number: number): string;
  };
  localization: { language: { value: { isoCode: string } } };
  shop: { storefrontUrl?: string };
}

/** What the member is closest to (NextGoal in app/loyalty/thank-you.ts). */
export type NextGoal =
  | { kind: "reward"; name: string; remaining: number }
  | { kind: "tier"; name: string; unit: "points" | "orders"; remaining: number }
  | { kind: "tier"; name: string; unit: "money"; remaining: number; currency: string };

/** The points' name in the buyer's language, by plural category, as the merchant set it. */
interface Wording {
  language: string;
  pointsName: Partial<Record<Intl.LDMLPluralRule, string>>;
}

export type View =
  | { state: "off" }
  | (Wording & {
      state: "member";
      points: number;
      confirmed: boolean;
      balance: number | null;
      next: NextGoal | null;
      welcome: boolean;
    })
  | (Wording & {
      state: "join" | "guest";
      points: number;
      signupBonus: number;
      pendingDays: number;
      welcome: boolean;
      email?: string | null;
    });

/** "1 star", "5 звёзд": the number in the buyer's format and the merchant's word for it. */
export function pointsText(api: ThankYouApi, wording: Wording, count: number): string {
  const forms = wording.pointsName;
  const word = forms[new Intl.PluralRules(wording.language).select(count)] ?? forms.other ?? forms.one ?? "";
  return `${api.i18n.formatNumber(count)}\u00a0${word}`;
}

function nextText(api: ThankYouApi, wording: Wording, next: NextGoal): string {
  const t = api.i18n.translate;
  const points = pointsText(api, wording, next.remaining);
  if (next.kind === "reward") return t("next", { points, reward: next.name });
  if (next.unit === "money")
    return t("next_tier_spend", {
      amount: api.i18n.formatCurrency(next.remaining, { currency: next.currency }),
      tier: next.name,
    });
  if (next.unit === "orders") return t("next_tier_orders", { count: next.remaining, tier: next.name });
  return t("next_tier", { points, tier: next.name });
}

/**
 * The Thank-you page can render before the order exists in the Admin API (the id
 * "becomes" the Order's id once the order is created), so the app may answer
 * `order_not_found` for a few seconds. The block keeps its skeleton and asks again
 * after these pauses, then falls back quietly.
 */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
  ) {
    super(`HTTP ${status}${code ? ` ${code}` : ""}`);
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Status = { kind: "loading" } | { kind: "error" } | { kind: "ready"; view: View } | { kind: "joining"; view: View };

export function ThankYouBlock({
  api,
  appUrl,
  fetcher = fetch,
  retryDelays = RETRY_DELAYS_MS,
}: {
  api: ThankYouApi;
  appUrl: string;
  fetcher?: typeof fetch;
  retryDelays?: number[];
}) {
  const t = api.i18n.translate;
  const confirmation = api.orderConfirmation.value;
  const [status, setStatus] = useState<Status>({ kind: "loading" });

  async function call(method: "GET" | "POST", body?: Record<string, string>): Promise<View | null> {
    if (!confirmation) return null;
    const token = await api.sessionToken.get();
    // The confirmation number proves this page belongs to the order (ids are sequential).
    const number = confirmation.number ? `&number=${encodeURIComponent(confirmation.number)}` : "";
    const locale = api.localization.language.value.isoCode;
    const query =
      method === "GET"
        ? `?order=${encodeURIComponent(confirmation.order.id)}${number}&first=${confirmation.isFirstOrder ? 1 : 0}&locale=${encodeURIComponent(locale)}`
        : "";
    const response = await fetcher(`${appUrl}/extensions/thank-you${query}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body
        ? JSON.stringify({
            order: confirmation.order.id,
            ...(confirmation.number ? { number: confirmation.number } : {}),
            locale,
            ...body,
          })
        : undefined,
    });
    if (!response.ok) {
      const code = await response.json().then(
        (answer: { error?: unknown }) => (typeof answer?.error === "string" ? answer.error : null),
        () => null,
      );
      throw new HttpError(response.status, code);
    }
    return (await response.json()) as View;
  }

  useEffect(() => {
    let cancelled = false;
    async function load(): Promise<View | null> {
      for (let attempt = 0; ; attempt++) {
        try {
          return await call("GET");
        } catch (error) {
          const notYet = error instanceof HttpError && error.status === 404 && error.code === "order_not_found";
          if (!notYet || attempt >= retryDelays.length || cancelled) throw error;
          await pause(retryDelays[attempt]!);
          // Unmounted while waiting: ask no more.
          if (cancelled) throw error;
        }
      }
    }
    load()
      .then((view) => !cancelled && setStatus(view ? { kind: "ready", view } : { kind: "error" }))
      .catch(() => !cancelled && setStatus({ kind: "error" }));
    return () => {
      cancelled = true;
    };
  }, []);

  if (status.kind === "loading") {
    return (
      <s-stack gap="small-200" accessibilityLabel={t("heading")}>
        <s-skeleton-paragraph />
        <s-skeleton-paragraph />
      </s-stack>
    );
  }
  // The order is placed either way: a quiet note rather than an error on a happy page.
  if (status.kind === "error") return <s-text color="subdued">{t("error")}</s-text>;
  const { view } = status;
  if (view.state === "off") return null;

  const heading = <s-heading>{view.welcome ? t("welcome") : t("heading")}</s-heading>;

  if (view.state === "member") {
    return (
      <s-stack gap="small-200">
        {heading}
        <s-text>{t(view.confirmed ? "earned" : "earning", { points: pointsText(api, view, view.points) })}</s-text>
        {view.balance !== null ? (
          <s-text>{t("balance", { balance: pointsText(api, view, view.balance) })}</s-text>
        ) : null}
        {view.next ? <s-text>{nextText(api, view, view.next)}</s-text> : null}
      </s-stack>
    );
  }

  const offer = (
    <>
      <s-text>{t("join_offer", { points: pointsText(api, view, view.points) })}</s-text>
      {view.signupBonus > 0 ? (
        <s-text>{t("signup_bonus", { points: pointsText(api, view, view.signupBonus) })}</s-text>
      ) : null}
    </>
  );

  if (view.state === "join") {
    const join = () => {
      setStatus({ kind: "joining", view });
      call("POST", { event: "join" })
        .then((joined) => setStatus({ kind: "ready", view: joined ?? view }))
        .catch(() => setStatus({ kind: "error" }));
    };
    return (
      <s-stack gap="small-200">
        {heading}
        {offer}
        <s-button variant="primary" loading={status.kind === "joining"} onClick={join}>
          {t("join")}
        </s-button>
      </s-stack>
    );
  }

  // A guest: the account is created in customer accounts; the points wait for it there.
  const signup = `${api.shop.storefrontUrl ?? ""}/account/register`;
  return (
    <s-stack gap="small-200">
      {heading}
      {offer}
      <s-text color="subdued">
        {view.email
          ? t("guest_note_email", { days: view.pendingDays, email: view.email })
          : t("guest_note", { days: view.pendingDays })}
      </s-text>
      <s-button
        variant="primary"
        href={signup}
        onClick={() => void call("POST", { event: "join_clicked" }).catch(() => undefined)}
      >
        {t("create_account")}
      </s-button>
    </s-stack>
  );
}
