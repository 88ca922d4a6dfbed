import type { Language } from "../domain/localized";
import { pointsWord } from "../domain/localized";
import { formatMoney } from "../domain/money";
import { landingText, type LandingTextKey } from "../i18n/landing";
import { mailText, type MailTextKey } from "../i18n/mail";
import type { storefrontView } from "../services/member-view";

/**
 * The loyalty landing page (`/apps/comeback` on the store, through the App Proxy), which
 * Shopify renders inside the shop's theme: how to earn, the rewards, the VIP tiers as
 * cards, the referral offer, questions answered from the program's own settings and the
 * merchant's own, and join or sign-in. Buttons with `data-comeback-open` open the app embed's panel.
 */

type View = Awaited<ReturnType<typeof storefrontView>>;

export interface LandingProps {
  view: View;
  language: Language;
  shopName: string;
  pointsName: unknown;
  settings: {
    availabilityDelayDays: number;
    expiryInactivityDays: number | null;
    tierMetric: "SPEND" | "ORDERS" | "POINTS";
    tierWindow: "LIFETIME" | "CALENDAR_YEAR" | "ROLLING_12_MONTHS";
  };
  /** The merchant's own questions, in this page's language, after the program's. */
  faqs: Array<{ question: string; answer: string }>;
  /** The storefront's origin, for a member's referral link. */
  origin: string;
  login: string;
  register: string;
}

const STYLE = `.cb-landing{max-width:960px;margin:32px auto;padding:0 16px;font:16px/1.5 system-ui,sans-serif}
.cb-landing h1{font-size:32px;margin:0 0 8px}.cb-landing h2{font-size:22px;margin:32px 0 12px}
.cb-landing .cb-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:16px;padding:0;list-style:none}
.cb-landing .cb-card{padding:16px;border:1px solid rgba(0,0,0,.15);border-radius:12px}
.cb-landing .cb-card h3{margin:0 0 4px;font-size:18px}.cb-landing .cb-muted{color:#4a4a4a}
.cb-landing .cb-actions{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.cb-landing .cb-btn{display:inline-flex;align-items:center;min-height:44px;padding:0 18px;border:0;border-radius:8px;background:#1f5f4a;color:#fff;font:600 15px system-ui,sans-serif;text-decoration:none;cursor:pointer}
.cb-landing .cb-btn.cb-quiet{background:transparent;color:inherit;text-decoration:underline}
.cb-landing dt{font-weight:600;margin-top:12px}.cb-landing dd{margin:4px 0 0}`;

export function Landing(props: LandingProps) {
  const { view, language, settings } = props;
  const t = (key: LandingTextKey, params?: Record<string, string | number>) => landingText(key, language, params);
  const mail = (key: MailTextKey, params?: Record<string, string | number>) => mailText(key, language, params);
  const number = new Intl.NumberFormat(language);
  const points = (count: number) =>
    `${number.format(count)}\u00a0${pointsWord(props.pointsName, view.language, count)}`;
  const money = (minor: number | bigint) => formatMoney(minor, view.program.currency, language);
  const program = view.program;
  const member = view.member;

  if (!program.live)
    return (
      <div className="cb-landing">
        <style>{STYLE}</style>
        <h1>{t("title", { shop: props.shopName })}</h1>
        <p>{t("not_live")}</p>
      </div>
    );

  const rate = mail("earn_spend", {
    points: points(program.earning.points),
    amount: money(program.earning.perSpendMinor),
  });
  const perk = (key: string) =>
    key.startsWith("points_x")
      ? mail("perk_points", { multiplier: number.format(Number(key.slice("points_x".length))) })
      : key === "free_shipping"
        ? mail("perk_free_shipping")
        : key === "early_access"
          ? mail("perk_early_access")
          : key;
  const threshold = (value: string, metric: string) =>
    metric === "SPEND"
      ? t("tier_spend", { amount: money(BigInt(value)) })
      : metric === "ORDERS"
        ? t("tier_orders", { count: number.format(Number(value)) })
        : t("tier_points", { points: points(Number(value)) });
  const friendReward = program.referral?.friendReward;

  return (
    <div className="cb-landing">
      <style>{STYLE}</style>
      <h1>{t("title", { shop: props.shopName })}</h1>
      <p>{t("intro")}</p>
      {member ? (
        <>
          <p>
            <strong>{t("balance", { points: points(member.balance) })}</strong>
            {member.tier ? ` · ${t("tier", { tier: member.tier.name })}` : ""}
          </p>
          <div className="cb-actions">
            <button type="button" className="cb-btn" data-comeback-open="">
              {t("open")}
            </button>
          </div>
        </>
      ) : view.customer.loggedIn ? (
        <div className="cb-actions">
          <button type="button" className="cb-btn" data-comeback-open="">
            {t("join_member")}
          </button>
        </div>
      ) : (
        <div className="cb-actions">
          <a className="cb-btn" href={props.register}>
            {t("join")}
          </a>
          <a className="cb-btn cb-quiet" href={props.login}>
            {t("sign_in")}
          </a>
        </div>
      )}

      <h2>{t("earn")}</h2>
      <ul className="cb-grid">
        <li className="cb-card">{rate}</li>
        {program.waysToEarn.map((way) => (
          <li className="cb-card" key={`${way.action}:${way.network ?? ""}`}>
            {mail(`way_${way.action}` as MailTextKey, { points: points(way.points), network: way.label ?? "" })}
          </li>
        ))}
      </ul>

      {program.rewards.length > 0 ? (
        <>
          <h2>{t("rewards")}</h2>
          <ul className="cb-grid">
            {program.rewards.map((reward) => (
              <li className="cb-card" key={reward.id}>
                <h3>{reward.name}</h3>
                <p className="cb-muted">{points(reward.cost)}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {program.tiers.length > 0 ? (
        <>
          <h2>{t("tiers")}</h2>
          <ul className="cb-grid">
            {program.tiers.map((tier) => (
              <li className="cb-card" key={tier.position}>
                <h3>{tier.name}</h3>
                <p className="cb-muted">
                  {BigInt(tier.threshold) > 0n ? threshold(tier.threshold, tier.metric) : t("tier_start")}
                </p>
                {tier.perks.length > 0 ? (
                  <ul>
                    {tier.perks.map((p) => (
                      <li key={p}>{perk(p)}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {program.referral ? (
        <>
          <h2>{t("referral")}</h2>
          <p>
            {friendReward
              ? t("referral_both", { reward: friendReward.name, points: points(program.referral.points) })
              : t("referral_you", { points: points(program.referral.points) })}
          </p>
          {member ? (
            <p>{t("referral_link", { link: `${props.origin}/?ref=${encodeURIComponent(member.referralCode)}` })}</p>
          ) : null}
        </>
      ) : null}

      <h2>{t("faq")}</h2>
      <dl>
        <dt>{t("faq_earn_q")}</dt>
        <dd>{t("faq_earn_a", { rate })}</dd>
        <dt>{t("faq_when_q")}</dt>
        <dd>
          {settings.availabilityDelayDays > 0
            ? t("faq_when_delay", { days: settings.availabilityDelayDays })
            : t("faq_when_now")}
        </dd>
        <dt>{t("faq_expire_q")}</dt>
        <dd>
          {settings.expiryInactivityDays
            ? t("faq_expire_days", { days: settings.expiryInactivityDays })
            : t("faq_expire_never")}
        </dd>
        <dt>{t("faq_use_q")}</dt>
        <dd>{t("faq_use_a")}</dd>
        {program.tiers.length > 0 ? (
          <>
            <dt>{t("faq_tiers_q")}</dt>
            <dd>{t(`faq_tiers_${settings.tierWindow}`, { measure: t(`measure_${settings.tierMetric}`) })}</dd>
          </>
        ) : null}
        {props.faqs.map((faq, i) => (
          <div key={i}>
            <dt>{faq.question}</dt>
            <dd>{faq.answer}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
