import type { Blocker, CartOffer } from "../domain/cart-rewards";
import type { Language } from "../domain/localized";
import { pointsWord } from "../domain/localized";
import { formatMoney } from "../domain/money";
import { cartText, type CartTextKey } from "../i18n/cart";

/**
 * The cart block's content, rendered by the app as an HTML fragment that the storefront
 * script swaps into the cart page's block or the theme's cart drawer. Buttons carry
 * `data-cb-cart="<action>:<value>"`; the script does the request and asks for a new
 * fragment. Everything a shopper reads is here, in their language.
 */

/** What the last tap did, as the script reports it back. */
export type CartNote =
  | { kind: "applied" | "removed"; code: string }
  | { kind: "credited"; amountMinor: number }
  | { kind: "pending" | "not_enough" | "failed" };

export interface CartTotals {
  currency: string;
  totalMinor: number;
  discountMinor: number;
}

export interface CartRewardsProps {
  offer: CartOffer;
  totals: CartTotals;
  /** The codes in the cart right now, in order: the script keeps the others when it applies or removes one. */
  cartCodes: string[];
  note: CartNote | null;
  pointsName: unknown;
  /** The storefront's sign-in page. */
  login: string;
}

/** Small and scoped, inside the fragment: no stylesheet for the theme to load. */
const STYLE = `.cb-cart{margin:16px 0;padding:16px;border:1px solid rgba(0,0,0,.15);border-radius:12px;font:15px/1.45 system-ui,sans-serif}
.cb-cart h2{margin:0 0 4px;font-size:17px}.cb-cart ul{list-style:none;margin:8px 0 0;padding:0}
.cb-cart li{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;justify-content:space-between;padding:8px 0;border-top:1px solid rgba(0,0,0,.08)}
.cb-cart .cb-why,.cb-cart .cb-sub{color:#4a4a4a;font-size:14px;flex-basis:100%}
.cb-cart button,.cb-cart .cb-btn{min-height:40px;padding:0 14px;border:0;border-radius:8px;background:var(--cb-accent,#1f5f4a);color:var(--cb-on-accent,#fff);font:600 14px system-ui,sans-serif;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center}
.cb-cart button.cb-quiet{background:transparent;color:inherit;text-decoration:underline}
.cb-cart button:focus-visible,.cb-cart a:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.cb-cart button[disabled]{opacity:.6;cursor:progress}.cb-cart .cb-note{margin:8px 0;padding:8px 12px;background:#eef6f2;border-radius:8px}`;

export function CartRewards({ offer, totals, cartCodes, note, pointsName, login }: CartRewardsProps) {
  const language: Language = offer.language;
  const t = (key: CartTextKey, params?: Record<string, string | number>) => cartText(key, language, params);
  const points = (count: number) =>
    `${new Intl.NumberFormat(language).format(count)}\u00a0${pointsWord(pointsName, language, count)}`;
  const money = (minor: number, currency = totals.currency) => formatMoney(minor, currency, language);
  const date = (iso: string) => new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(new Date(iso));
  const why = (blocker: Blocker) => {
    switch (blocker.kind) {
      case "points":
        return t("blocker_points", { points: points(blocker.missing) });
      case "tier":
        return t("blocker_tier", { tier: blocker.tier });
      case "minimum":
        return t("blocker_minimum", { amount: money(blocker.missingMinor, blocker.currency) });
      case "combine":
        return t("blocker_combine", { code: blocker.code });
    }
  };

  const heading = <h2 id="cb-cart-title">{t("title")}</h2>;
  if (offer.kind === "closed") return null;
  if (offer.kind === "guest" || offer.kind === "not_member") {
    return (
      <section className="cb-cart" aria-labelledby="cb-cart-title" data-codes={cartCodes.join(",")}>
        <style>{STYLE}</style>
        {heading}
        <p>{t(offer.kind === "guest" ? "guest" : "not_member")}</p>
        {offer.kind === "guest" ? (
          <a className="cb-btn" href={login}>
            {t("sign_in")}
          </a>
        ) : (
          <button type="button" data-comeback-open="">
            {t("join")}
          </button>
        )}
      </section>
    );
  }

  const message = (() => {
    if (!note) return null;
    if (note.kind === "applied") {
      const code = offer.codes.find((c) => c.code.toUpperCase() === note.code.toUpperCase());
      if (code && !code.applicable)
        return [t("applied_not", { code: note.code }), code.blocker ? why(code.blocker) : t("not_applicable")];
      return [
        t("applied", { code: note.code }),
        code?.type === "FREE_SHIPPING"
          ? t("shipping")
          : code?.type === "FREE_PRODUCT"
            ? t("product")
            : totals.discountMinor > 0
              ? t("saving", { amount: money(totals.discountMinor), total: money(totals.totalMinor) })
              : null,
      ];
    }
    if (note.kind === "removed") return [t("removed", { code: note.code })];
    if (note.kind === "credited") return [t("credited", { amount: money(note.amountMinor) })];
    return [t(note.kind)];
  })();

  return (
    <section
      className="cb-cart"
      aria-labelledby="cb-cart-title"
      data-codes={cartCodes.join(",")}
      data-balance={points(offer.balance)}
    >
      <style>{STYLE}</style>
      {heading}
      <p>{t("balance", { points: points(offer.balance) })}</p>
      {message ? (
        <p className="cb-note" role="status" tabIndex={-1} data-focus="">
          {message.filter(Boolean).join(" ")}
        </p>
      ) : null}
      {offer.codes.length > 0 ? (
        <>
          <h3>{t("your_codes")}</h3>
          <ul>
            {offer.codes.map((code) => (
              <li key={code.code}>
                <span>
                  <strong>{code.code}</strong> · {code.name}
                </span>
                {code.inCart ? (
                  <button
                    type="button"
                    className="cb-quiet"
                    data-cb-cart={`remove:${code.code}`}
                    aria-label={t("remove_label", { code: code.code })}
                  >
                    {t("remove")}
                  </button>
                ) : (
                  <button
                    type="button"
                    data-cb-cart={`apply:${code.code}`}
                    aria-label={t("apply_label", { code: code.code })}
                  >
                    {t("apply")}
                  </button>
                )}
                <span className="cb-sub">
                  {[
                    code.inCart ? (code.applicable ? t("in_cart") : t("not_applicable")) : null,
                    code.blocker ? why(code.blocker) : null,
                    code.endsAt ? t("until", { date: date(code.endsAt) }) : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {offer.rewards.length === 0 ? (
        <p className="cb-sub">{t("no_rewards")}</p>
      ) : (
        <ul>
          {offer.rewards.map((reward) => (
            <li key={reward.id}>
              <span>
                {reward.name} · {points(reward.cost)}
              </span>
              {reward.blocker ? (
                <span className="cb-why">{why(reward.blocker)}</span>
              ) : (
                <button
                  type="button"
                  data-cb-cart={`redeem:${reward.id}`}
                  aria-label={
                    reward.type === "STORE_CREDIT"
                      ? undefined
                      : t("redeem_label", { reward: reward.name, points: points(reward.cost) })
                  }
                >
                  {t(reward.type === "STORE_CREDIT" ? "store_credit" : "redeem")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
