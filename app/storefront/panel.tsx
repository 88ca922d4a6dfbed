import type { ReactNode } from "react";
import type { Language } from "../domain/localized";
import { pointsWord } from "../domain/localized";
import { formatMoney } from "../domain/money";
import { panelText, type PanelTextKey } from "../i18n/panel";
import type { HistoryPage, storefrontView } from "../services/member-view";

/**
 * The loyalty panel's content, rendered by the app and swapped into the storefront's
 * dialog by the panel script (extensions/comeback-theme/src/panel.ts): balance, tier and
 * progress, campaigns, an NPS survey, a birthday gift to choose, a referred friend's
 * offer, codes, rewards with redeem in place, ways to earn (social follows and the
 * birthday form), the referral link and history; for guests, the program and how to join.
 *
 * The script knows five attributes: `data-cb-do` (POST this JSON, with the enclosing
 * form's fields, and show the answer), `data-cb-get` (load again with this query),
 * `data-cb-copy`, `data-cb-share`, `data-cb-open` (open this page first). `data-focus`
 * marks what takes focus after an action.
 */

export type StorefrontView = Awaited<ReturnType<typeof storefrontView>>;
type Member = NonNullable<StorefrontView["member"]>;
type Program = StorefrontView["program"];

/** What the last action did, shown on top. */
export type PanelNote =
  | { kind: "issued"; code: string }
  | { kind: "friend_code"; code: string }
  | { kind: "credited"; amountMinor: number; currency: string }
  | { kind: "followed"; points: number }
  | { kind: "birthday_saved" }
  | { kind: "text"; key: PanelTextKey };

export interface PanelProps {
  view: StorefrontView;
  /** The storefront's language: texts and numbers. Names come in the program's (`view.language`). */
  language: Language;
  pointsName: unknown;
  sections: { rewards: boolean; earn: boolean; referral: boolean; history: boolean };
  /** The proxy path Shopify reported: the script calls the app through it from then on. */
  proxy: string;
  /** The storefront's origin, for the referral link, and the page's path, where "Apply to cart" returns. */
  origin: string;
  path: string;
  /** A referral code this browser arrived with (`?ref=`), for the friend's offer. */
  referral: string | null;
  history: HistoryPage | null;
  note: PanelNote | null;
  login: string;
  register: string;
}

export function Panel(props: PanelProps) {
  const { view, language, note } = props;
  const t = (key: PanelTextKey, params?: Record<string, string | number>) => panelText(key, language, params);
  const number = new Intl.NumberFormat(language);
  const points = (count: number) =>
    `${number.format(count)}\u00a0${pointsWord(props.pointsName, view.language, count)}`;
  const money = (minor: number, currency = view.program.currency) => formatMoney(minor, currency, language);
  const date = (iso: string) => new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(new Date(iso));
  const member = view.member;

  const section = (id: string, heading: string, ...content: ReactNode[]) => (
    <section className="cb-section" id={`cb-${id}`}>
      <h3>{heading}</h3>
      {content}
    </section>
  );
  const copyButton = (text: string) => (
    <button type="button" className="cb-link" data-cb-copy={text} data-cb-copied={t("copied")}>
      {t("copy")}
    </button>
  );
  const codeBox = (code: string, name: string, endsAt?: string | null, focus = false) => (
    <div className="cb-code" tabIndex={focus ? -1 : undefined} data-focus={focus ? "" : undefined}>
      <span>{name}</span>
      <strong className="cb-code-value">{code}</strong>
      {endsAt ? <span className="cb-muted">{t("expires", { date: date(endsAt) })}</span> : null}
      <div className="cb-row">
        {copyButton(code)}
        <a
          className="cb-button"
          href={`/discount/${encodeURIComponent(code)}?redirect=${encodeURIComponent(props.path)}`}
        >
          {t("apply")}
        </a>
      </div>
    </div>
  );

  const outcome = (() => {
    if (!note || note.kind === "friend_code") return null;
    if (note.kind === "issued") {
      const name = member?.codes.find((c) => c.code === note.code)?.name ?? "";
      return section("issued", t("your_code"), <div key="c">{codeBox(note.code, name, null, true)}</div>);
    }
    if (note.kind === "credited")
      return section(
        "issued",
        t("your_code"),
        <p className="cb-note" tabIndex={-1} data-focus="" key="c">
          {t("credited", { amount: money(note.amountMinor, note.currency) })}
        </p>,
      );
    const text =
      note.kind === "followed"
        ? t("followed", { points: points(note.points) })
        : note.kind === "birthday_saved"
          ? t("birthday_saved", { days: view.program.birthday?.leadDays ?? 0 })
          : t(note.key);
    return (
      <p className="cb-note" role="status" tabIndex={-1} data-focus="">
        {text}
      </p>
    );
  })();

  const campaigns = (program: Program) => {
    const now = Date.now();
    return program.campaigns
      .filter((c) => Date.parse(c.startsAt) <= now && now < Date.parse(c.endsAt))
      .map((c) => (
        <p className="cb-banner" key={c.name + c.startsAt}>
          {t("campaign", {
            name: c.name,
            multiplier: c.multiplier,
            date: date(new Date(Date.parse(c.endsAt) - 1).toISOString()),
          })}
        </p>
      ));
  };

  const friendOffer = (program: Program) => {
    const reward = program.referral?.friendReward;
    if (!props.referral || !reward || (member && member.referralCode === props.referral)) return null;
    if (note?.kind === "friend_code")
      return section(
        "friend",
        t("friend_offer", { reward: reward.name }),
        <p key="p">{t("friend_code")}</p>,
        <div key="c">{codeBox(note.code, reward.name, null, true)}</div>,
      );
    return section(
      "friend",
      t("friend_offer", { reward: reward.name }),
      <form className="cb-row" key="f">
        {view.customer.loggedIn ? null : (
          <input
            className="cb-input"
            name="email"
            type="email"
            autoComplete="email"
            aria-label={t("friend_email")}
            placeholder={t("friend_email")}
          />
        )}
        <button type="button" className="cb-button" data-cb-do={JSON.stringify({ do: "friend", code: props.referral })}>
          {t("friend_get")}
        </button>
      </form>,
    );
  };

  const rewardList = (rewards: Program["rewards"] | Member["rewards"]) => {
    if (!props.sections.rewards || rewards.length === 0) return null;
    return section(
      "rewards",
      t("rewards"),
      <ul className="cb-rewards" key="r">
        {rewards.map((reward) => (
          <li key={reward.id}>
            <span>{reward.name}</span>
            <span className="cb-cost">{points(reward.cost)}</span>
            {member && "affordable" in reward ? (
              reward.affordable ? (
                <button
                  type="button"
                  className="cb-button"
                  data-cb-do={JSON.stringify({ do: "redeem", rewardId: reward.id })}
                >
                  {t("redeem")}
                </button>
              ) : (
                <span className="cb-muted">
                  {reward.available === false
                    ? t("tier_only", { tier: reward.tier ?? "" })
                    : t("more_needed", { points: points(reward.cost - member.balance) })}
                </span>
              )
            ) : null}
          </li>
        ))}
      </ul>,
    );
  };

  const waysToEarn = (program: Program) => {
    if (!props.sections.earn) return null;
    return section(
      "earn",
      t("ways_to_earn"),
      <ul key="w">
        <li>
          {t("earn_spend", {
            points: points(program.earning.points),
            amount: money(program.earning.perSpendMinor),
          })}
        </li>
        {program.waysToEarn.map((way) => {
          const key = `${way.action}:${way.network ?? ""}`;
          if (way.action !== "SOCIAL_FOLLOW")
            return <li key={key}>{`${t(`action_${way.action}` as PanelTextKey)}: ${points(way.points)}`}</li>;
          const label = t("follow", { network: way.label ?? "" });
          if (!member || member.followed.includes(way.network ?? ""))
            return <li key={key}>{`${label}: ${points(way.points)}`}</li>;
          // Honour system, as every loyalty app: the profile opens, the points come once.
          return (
            <li key={key}>
              <button
                type="button"
                className="cb-button"
                data-cb-open={way.url}
                data-cb-do={JSON.stringify({ do: "follow", network: way.network })}
              >
                {label}
              </button>
              <span className="cb-cost">{points(way.points)}</span>
            </li>
          );
        })}
        {program.birthday?.gift === "CHOICE" ? <li>{t("birthday_gift")}</li> : null}
      </ul>,
    );
  };

  const birthdayForm = () => {
    const field = (label: string, name: string, max: number) => (
      <label>
        {label}
        <input className="cb-input" name={name} type="number" min="1" max={String(max)} inputMode="numeric" />
      </label>
    );
    return section(
      "birthday",
      t("birthday"),
      <form className="cb-row" key="b">
        {field(t("birthday_day"), "day", 31)}
        {field(t("birthday_month"), "month", 12)}
        {field(t("birthday_year"), "year", new Date().getUTCFullYear())}
        <button type="button" className="cb-button" data-cb-do={JSON.stringify({ do: "birthday" })}>
          {t("birthday_save")}
        </button>
      </form>,
    );
  };

  const root = (children: ReactNode, extra: Record<string, string> = {}) => (
    <div data-proxy={props.proxy} {...extra}>
      {children}
    </div>
  );

  if (!view.program.live) return root(<p>{t("not_live")}</p>);

  if (!member) {
    return root(
      <>
        {campaigns(view.program)}
        {friendOffer(view.program)}
        {outcome}
        <p>{t("guest_intro")}</p>
        {view.customer.loggedIn ? (
          <button type="button" className="cb-button" data-cb-do={JSON.stringify({ do: "join" })}>
            {t("join")}
          </button>
        ) : (
          <div className="cb-row">
            <a className="cb-button" href={props.register}>
              {t("join")}
            </a>
            <a className="cb-link" href={props.login}>
              {t("sign_in")}
            </a>
          </div>
        )}
        {waysToEarn(view.program)}
        {rewardList(view.program.rewards)}
      </>,
    );
  }

  const next = member.nextTier;
  const link = `${props.origin}/?ref=${encodeURIComponent(member.referralCode)}`;
  const origin = (o: string) => (o === "points" ? "" : `${t(`origin_${o}` as PanelTextKey)}: `);
  return root(
    <>
      {outcome}
      {campaigns(view.program)}
      <div className="cb-summary">
        <p className="cb-balance">{points(member.balance)}</p>
        {member.tier ? <p>{t("tier", { tier: member.tier.name })}</p> : null}
        {next ? (
          <p>
            {next.metric === "SPEND"
              ? t("next_tier_spend", { amount: money(Number(next.remaining)), tier: next.name })
              : next.metric === "ORDERS"
                ? t("next_tier_orders", { count: number.format(Number(next.remaining)), tier: next.name })
                : t("next_tier_points", { points: points(Number(next.remaining)), tier: next.name })}
          </p>
        ) : null}
        {member.pendingPoints > 0 ? (
          <p className="cb-muted">
            {member.pendingUntil
              ? t("pending_until", { points: points(member.pendingPoints), date: date(member.pendingUntil) })
              : t("pending", { points: points(member.pendingPoints) })}
          </p>
        ) : null}
      </div>
      {member.surprise ? (
        <p className="cb-banner" data-cb-once={`comeback:gift:${member.surprise.id}`} hidden>
          {t("gift_note", { note: member.surprise.note })}
        </p>
      ) : null}
      {member.survey
        ? section(
            "survey",
            t("survey"),
            <p className="cb-scores" key="s">
              {member.survey.scores.map((href, score) => (
                <a href={href} key={href}>
                  {String(score)}
                </a>
              ))}
            </p>,
            <p className="cb-muted" key="m">
              {t("survey_scale")}
            </p>,
          )
        : null}
      {member.giftChoice
        ? section(
            "gift",
            t("gift_choose"),
            <ul key="g">
              {member.giftChoice.options.map((gift) => (
                <li key={gift.id}>
                  <span>{gift.name}</span>
                  <button
                    type="button"
                    className="cb-button"
                    data-cb-do={JSON.stringify({ do: "gift", rewardId: gift.id })}
                  >
                    {t("gift_pick")}
                  </button>
                </li>
              ))}
            </ul>,
          )
        : null}
      {friendOffer(view.program)}
      {member.codes.length > 0
        ? section(
            "codes",
            t("your_codes"),
            ...member.codes.map((c) => <div key={c.code}>{codeBox(c.code, origin(c.origin) + c.name, c.endsAt)}</div>),
          )
        : null}
      {rewardList(member.rewards)}
      {waysToEarn(view.program)}
      {view.program.birthday && !member.birthday ? birthdayForm() : null}
      {props.sections.referral && view.program.referral
        ? section(
            "referral",
            t("referral"),
            <p key="p">{t("referral_body")}</p>,
            <input key="i" className="cb-input" readOnly value={link} aria-label={t("referral")} />,
            <div className="cb-row" key="r">
              {copyButton(link)}
              <button type="button" className="cb-link" data-cb-share={link} hidden>
                {t("share")}
              </button>
            </div>,
          )
        : null}
      {props.sections.history
        ? section(
            "history",
            t("history"),
            props.history ? (
              props.history.entries.length ? (
                <ul className="cb-history" key="h">
                  {props.history.entries.map((e) => (
                    <li key={e.id}>
                      <span>{`${date(e.createdAt)} · ${e.reason}`}</span>
                      <strong>{e.points > 0 ? `+${e.points}` : String(e.points)}</strong>
                    </li>
                  ))}
                </ul>
              ) : (
                <p key="h">{t("history_empty")}</p>
              )
            ) : (
              <button type="button" className="cb-link" data-cb-get="history=1" key="h">
                {t("show_history")}
              </button>
            ),
          )
        : null}
    </>,
    { "data-balance": points(member.balance), "data-b": String(member.balance), "data-v": String(member.version) },
  );
}
