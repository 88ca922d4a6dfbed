import type { CodeView, MemberView, ProgramView } from "../../../app/services/member-view";
import type { OrderPoints } from "../../../app/services/account-view";

/**
 * The app's /extensions/customer-account, as the three targets call it: every request
 * carries the customer-account session token, which is all the app trusts.
 */

/** The parts of Shopify's extension API the targets use (the `shopify` global). */
export interface AccountApi {
  sessionToken: { get(): Promise<string> };
  i18n: {
    translate(key: string, options?: Record<string, string | number>): string;
    formatNumber(number: number): string;
    formatCurrency(amount: number, options?: { currency?: string }): string;
    formatDate(date: Date, options?: Intl.DateTimeFormatOptions): string;
  };
  localization: { language: { value: { isoCode: string } } };
}

export type { CodeView, MemberView, OrderPoints, ProgramView };

export interface AccountView {
  language: string;
  live: boolean;
  program: ProgramView;
  member: MemberView | null;
  customer: { loggedIn: boolean; enrolled: boolean };
  /** When the balance expires without activity, or null. */
  expiresAt: string | null;
}

export interface HistoryPage {
  entries: Array<{ id: string; points: number; kind: string; reason: string; createdAt: string }>;
  nextCursor: string | null;
}

export class AccountError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
  ) {
    super(`HTTP ${status}${code ? ` ${code}` : ""}`);
  }
}

export function accountClient(api: AccountApi, appUrl: string, fetcher: typeof fetch = fetch) {
  const locale = () => api.localization.language.value.isoCode;
  async function call<T>(query: string, body?: Record<string, unknown>): Promise<T> {
    const token = await api.sessionToken.get();
    const separator = query ? "&" : "?";
    const response = await fetcher(
      `${appUrl}/extensions/customer-account${query}${separator}locale=${encodeURIComponent(locale())}`,
      {
        method: body ? "POST" : "GET",
        headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      },
    );
    const answer = (await response.json().catch(() => null)) as (T & { error?: unknown }) | null;
    if (!response.ok || !answer) {
      throw new AccountError(response.status, typeof answer?.error === "string" ? answer.error : null);
    }
    return answer;
  }
  return {
    view: () => call<AccountView>(""),
    history: (cursor: string | null) =>
      call<HistoryPage>(`?view=history&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    order: (orderId: string) => call<OrderPoints>(`?view=order&order=${encodeURIComponent(orderId)}`),
    join: () => call<{ member: MemberView; created: boolean }>("", { action: "join" }),
    redeem: (rewardId: string) =>
      call<{ code?: string | null; balance: number; status?: string }>("", { action: "redeem", rewardId }),
    birthday: (birthday: string) => call<{ saved: boolean }>("", { action: "birthday", birthday }),
    follow: (network: string) => call<{ awarded: number }>("", { action: "social_follow", network }),
  };
}

export type AccountClient = ReturnType<typeof accountClient>;

/** "1 star", "5 звёзд": the number in the reader's format and the merchant's word for it. */
export function pointsText(api: AccountApi, view: Pick<AccountView, "language" | "program">, count: number): string {
  const forms = (view.program.pointsName[view.language as keyof ProgramView["pointsName"]] ?? {}) as Partial<
    Record<Intl.LDMLPluralRule, string>
  >;
  const word =
    forms[new Intl.PluralRules(view.language).select(count)] ??
    forms.other ??
    (count === 1 ? view.program.points.singular : view.program.points.plural);
  return `${api.i18n.formatNumber(count)}\u00a0${word}`;
}

export const formatDay = (api: AccountApi, iso: string) =>
  api.i18n.formatDate(new Date(iso), { day: "numeric", month: "long", year: "numeric" });
