/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import {
  AccountError,
  formatDay,
  pointsText,
  type AccountApi,
  type AccountClient,
  type AccountView,
  type HistoryPage,
  type MemberView,
} from "./client";

/**
 * The Rewards page in Shopify's customer accounts (customer-account.page.render): the
 * member's standing, rewards to redeem in place, their codes, history, referral link,
 * birthday and ways to earn; a one-tap join for a customer who is not a member yet.
 * Everything comes from the app; the page sends only the session token.
 */

type Status = { kind: "loading" } | { kind: "error" } | { kind: "ready"; view: AccountView };

const SHARE = [
  [
    "email",
    (link: string, text: string) => `mailto:?subject=${encodeURIComponent(text)}&body=${encodeURIComponent(link)}`,
  ],
  ["whatsapp", (link: string, text: string) => `https://wa.me/?text=${encodeURIComponent(`${text} ${link}`)}`],
  [
    "telegram",
    (link: string, text: string) =>
      `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(text)}`,
  ],
] as const;

export function RewardsPage({ api, client }: { api: AccountApi; client: AccountClient }) {
  const t = api.i18n.translate;
  const [status, setStatus] = useState<Status>({ kind: "loading" });
  const load = () =>
    client
      .view()
      .then((view) => setStatus({ kind: "ready", view }))
      .catch(() => setStatus({ kind: "error" }));
  useEffect(() => void load(), []);

  if (status.kind === "loading")
    return (
      <s-page heading={t("page.title")}>
        <s-section accessibilityLabel={t("loading")}>
          <s-skeleton-paragraph />
          <s-skeleton-paragraph />
        </s-section>
      </s-page>
    );
  if (status.kind === "error")
    return (
      <s-page heading={t("page.title")}>
        <s-banner tone="critical" heading={t("error")}>
          <s-button onClick={() => (setStatus({ kind: "loading" }), void load())}>{t("retry")}</s-button>
        </s-banner>
      </s-page>
    );
  const { view } = status;
  if (!view.live)
    return (
      <s-page heading={t("page.title")}>
        <s-section>
          <s-paragraph>{t("off")}</s-paragraph>
        </s-section>
      </s-page>
    );
  if (!view.member)
    return (
      <s-page heading={t("page.title")}>
        <JoinSection
          api={api}
          client={client}
          view={view}
          onJoined={(next) => setStatus({ kind: "ready", view: next })}
        />
      </s-page>
    );
  const update = (member: MemberView) => setStatus({ kind: "ready", view: { ...view, member } });
  return (
    <s-page heading={t("page.title")}>
      <s-stack gap="base">
        <Standing api={api} view={view} member={view.member} />
        <Rewards api={api} client={client} view={view} member={view.member} onChange={update} />
        <Codes api={api} member={view.member} />
        <WaysToEarn api={api} client={client} view={view} member={view.member} onChange={load} />
        <Referral api={api} view={view} member={view.member} />
        <History api={api} client={client} />
      </s-stack>
    </s-page>
  );
}

function JoinSection({
  api,
  client,
  view,
  onJoined,
}: {
  api: AccountApi;
  client: AccountClient;
  view: AccountView;
  onJoined: (view: AccountView) => void;
}) {
  const t = api.i18n.translate;
  const [joining, setJoining] = useState(false);
  const [failed, setFailed] = useState(false);
  const { earning, currency } = view.program;
  const signup = view.program.waysToEarn.find((way) => way.action === "SIGNUP");
  const join = () => {
    setJoining(true);
    setFailed(false);
    client
      .join()
      .then(({ member }) => onJoined({ ...view, member, customer: { ...view.customer, enrolled: true } }))
      .catch(() => setFailed(true))
      .finally(() => setJoining(false));
  };
  return (
    <s-section heading={t("join.heading")}>
      <s-stack gap="small-200">
        <s-paragraph>
          {t("join.earning", {
            points: pointsText(api, view, earning.points),
            amount: api.i18n.formatCurrency(earning.perSpendMinor / 100, { currency }),
          })}
        </s-paragraph>
        {signup ? <s-paragraph>{t("join.bonus", { points: pointsText(api, view, signup.points) })}</s-paragraph> : null}
        {failed ? <s-banner tone="critical" heading={t("join.failed")} /> : null}
        <s-button variant="primary" loading={joining} onClick={join}>
          {t("join.button")}
        </s-button>
      </s-stack>
    </s-section>
  );
}

function Standing({ api, view, member }: { api: AccountApi; view: AccountView; member: MemberView }) {
  const t = api.i18n.translate;
  const next = member.nextTier;
  const tier = member.tier
    ? view.program.tiers.find((candidate) => candidate.position === member.tier!.position)
    : null;
  const remaining = next
    ? next.metric === "SPEND"
      ? api.i18n.formatCurrency(Number(next.remaining) / 100, { currency: view.program.currency })
      : next.metric === "ORDERS"
        ? t("orders", { count: Number(next.remaining) })
        : pointsText(api, view, Number(next.remaining))
    : null;
  return (
    <s-section heading={t("balance.heading")}>
      <s-stack gap="small-200">
        <s-heading>{pointsText(api, view, member.balance)}</s-heading>
        {member.pendingPoints > 0 ? (
          <s-text color="subdued">
            {member.pendingUntil
              ? t("balance.pending", {
                  points: pointsText(api, view, member.pendingPoints),
                  date: formatDay(api, member.pendingUntil),
                })
              : t("balance.pendingSoon", { points: pointsText(api, view, member.pendingPoints) })}
          </s-text>
        ) : null}
        {view.expiresAt ? (
          <s-text color="subdued">{t("balance.expires", { date: formatDay(api, view.expiresAt) })}</s-text>
        ) : null}
        {member.tier ? (
          <s-stack gap="small-100">
            <s-text>
              {t("tier.current")} <s-badge>{member.tier.name}</s-badge>
            </s-text>
            {tier && tier.perks.length ? (
              <s-unordered-list>
                {tier.perks.map((perk) => (
                  <s-list-item key={perk}>{perkText(api, perk)}</s-list-item>
                ))}
              </s-unordered-list>
            ) : null}
          </s-stack>
        ) : null}
        {next && remaining ? (
          <s-stack gap="small-100">
            <s-text>{t("tier.next", { remaining, tier: next.name })}</s-text>
            <s-progress
              accessibilityLabel={t("tier.progress", { tier: next.name })}
              value={progressTowards(member, view)}
              max={1}
            />
          </s-stack>
        ) : null}
      </s-stack>
    </s-section>
  );
}

/** How far between the current tier's threshold (or zero) and the next one the member is, 0..1. */
function progressTowards(member: MemberView, view: AccountView): number {
  const next = view.program.tiers.find((tier) => tier.name === member.nextTier?.name);
  const current = view.program.tiers.find((tier) => tier.position === member.tier?.position);
  if (!next || !member.nextTier) return 0;
  const target = Number(next.threshold);
  const floor = current ? Number(current.threshold) : 0;
  const reached = target - Number(member.nextTier.remaining);
  return target > floor ? Math.max(0, Math.min(1, (reached - floor) / (target - floor))) : 0;
}

function perkText(api: AccountApi, perk: string): string {
  const t = api.i18n.translate;
  const multiplier = /^points_x([\d.]+)$/.exec(perk);
  if (multiplier) return t("perk.multiplier", { multiplier: api.i18n.formatNumber(Number(multiplier[1])) });
  if (perk === "free_shipping") return t("perk.free_shipping");
  if (perk === "early_access") return t("perk.early_access");
  return perk;
}

function Rewards({
  api,
  client,
  view,
  member,
  onChange,
}: {
  api: AccountApi;
  client: AccountClient;
  view: AccountView;
  member: MemberView;
  onChange: (member: MemberView) => void;
}) {
  const t = api.i18n.translate;
  const [busy, setBusy] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ rewardId: string; code: string | null; pending: boolean } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (member.rewards.length === 0) return null;
  const redeem = (rewardId: string) => {
    setBusy(rewardId);
    setFailure(null);
    client
      .redeem(rewardId)
      .then((answer) => {
        setIssued({ rewardId, code: answer.code ?? null, pending: answer.status === "pending" });
        onChange({
          ...member,
          balance: answer.balance,
          rewards: member.rewards.map((reward) => ({
            ...reward,
            affordable: reward.available && answer.balance >= reward.cost,
          })),
        });
      })
      .catch((error: unknown) =>
        setFailure(
          error instanceof AccountError && error.code === "insufficient_points"
            ? t("redeem.short")
            : t("redeem.failed"),
        ),
      )
      .finally(() => setBusy(null));
  };
  return (
    <s-section heading={t("rewards.heading")}>
      <s-stack gap="base">
        {failure ? <s-banner tone="critical" heading={failure} /> : null}
        {member.rewards.map((reward) => (
          <s-stack key={reward.id} gap="small-100">
            <s-stack direction="inline" gap="small-200" alignItems="center">
              <s-text type="strong">{reward.name}</s-text>
              <s-text color="subdued">{pointsText(api, view, reward.cost)}</s-text>
            </s-stack>
            {!reward.available && reward.tier ? (
              <s-text color="subdued">{t("rewards.forTier", { tier: reward.tier })}</s-text>
            ) : !reward.affordable ? (
              <s-text color="subdued">
                {t("rewards.more", { points: pointsText(api, view, reward.cost - member.balance) })}
              </s-text>
            ) : null}
            {reward.minOrderMinor ? (
              <s-text color="subdued">
                {t("rewards.minimum", {
                  amount: api.i18n.formatCurrency(reward.minOrderMinor / 100, { currency: view.program.currency }),
                })}
              </s-text>
            ) : null}
            {issued?.rewardId === reward.id ? (
              issued.code ? (
                <CodeLine api={api} code={issued.code} />
              ) : (
                <s-text>{t(issued.pending ? "redeem.pending" : "redeem.credited")}</s-text>
              )
            ) : (
              <s-button
                variant="secondary"
                disabled={!reward.affordable}
                loading={busy === reward.id}
                onClick={() => redeem(reward.id)}
              >
                {t("rewards.redeem")}
              </s-button>
            )}
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}

function CodeLine({ api, code }: { api: AccountApi; code: string }) {
  const t = api.i18n.translate;
  const id = `code-${code.replace(/[^A-Za-z0-9_-]/g, "")}`;
  return (
    <s-stack direction="inline" gap="small-200" alignItems="center">
      <s-text type="strong">{code}</s-text>
      <s-clipboard-item id={id} text={code} />
      <s-button variant="secondary" commandFor={id} accessibilityLabel={t("code.copyLabel", { code })}>
        {t("code.copy")}
      </s-button>
    </s-stack>
  );
}

function Codes({ api, member }: { api: AccountApi; member: MemberView }) {
  const t = api.i18n.translate;
  if (member.codes.length === 0) return null;
  return (
    <s-section heading={t("codes.heading")}>
      <s-stack gap="base">
        {member.codes.map((code) => (
          <s-stack key={code.code} gap="small-100">
            <s-text>{code.name}</s-text>
            <CodeLine api={api} code={code.code} />
            {code.endsAt ? (
              <s-text color="subdued">{t("codes.until", { date: formatDay(api, code.endsAt) })}</s-text>
            ) : null}
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}

const MONTHS = Array.from({ length: 12 }, (_, index) => index + 1);

/** A form element's value from its change or input event. */
const valueOf = (event: Event) => (event.currentTarget as { value?: string } | null)?.value ?? "";

function WaysToEarn({
  api,
  client,
  view,
  member,
  onChange,
}: {
  api: AccountApi;
  client: AccountClient;
  view: AccountView;
  member: MemberView;
  onChange: () => void;
}) {
  const t = api.i18n.translate;
  const [month, setMonth] = useState("");
  const [day, setDay] = useState("");
  const [birthdayError, setBirthdayError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ways = view.program.waysToEarn.filter((way) => way.action !== "SIGNUP");
  const saveBirthday = () => {
    const m = Number(month);
    const d = Number(day);
    if (!m || !Number.isInteger(d) || d < 1 || d > 31) {
      setBirthdayError(t("birthday.invalid"));
      return;
    }
    setSaving(true);
    setBirthdayError(null);
    client
      .birthday(`${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`)
      .then(onChange)
      .catch(() => setBirthdayError(t("birthday.invalid")))
      .finally(() => setSaving(false));
  };
  const monthName = (m: number) => api.i18n.formatDate(new Date(Date.UTC(2000, m - 1, 15)), { month: "long" });
  return (
    <s-section heading={t("earn.heading")}>
      <s-stack gap="base">
        <s-text>
          {t("earn.orders", {
            points: pointsText(api, view, view.program.earning.points),
            amount: api.i18n.formatCurrency(view.program.earning.perSpendMinor / 100, {
              currency: view.program.currency,
            }),
          })}
        </s-text>
        {ways.map((way) =>
          way.action === "SOCIAL_FOLLOW" && way.url && way.network ? (
            <s-stack key={`${way.action}-${way.network}`} direction="inline" gap="small-200" alignItems="center">
              <s-link
                href={way.url}
                target="_blank"
                onClick={() => void client.follow(way.network!).then(onChange, () => undefined)}
              >
                {t("earn.follow", { network: way.label ?? way.network })}
              </s-link>
              <s-text color="subdued">
                {member.followed.includes(way.network) ? t("earn.done") : pointsText(api, view, way.points)}
              </s-text>
            </s-stack>
          ) : way.action === "BIRTHDAY" ? null : (
            <s-text key={way.action}>{t(`earn.${way.action}`, { points: pointsText(api, view, way.points) })}</s-text>
          ),
        )}
        {view.program.birthday ? (
          member.birthday ? (
            <s-text>
              {t("birthday.saved", {
                date: api.i18n.formatDate(new Date(Date.UTC(2000, member.birthday.month - 1, member.birthday.day)), {
                  day: "numeric",
                  month: "long",
                }),
              })}
            </s-text>
          ) : (
            <s-stack gap="small-200">
              <s-text>
                {view.program.birthday.gift === "POINTS"
                  ? t("birthday.offer", { points: pointsText(api, view, view.program.birthday.points) })
                  : t("birthday.offerGift")}
              </s-text>
              <s-stack direction="inline" gap="small-200">
                <s-select label={t("birthday.month")} value={month} onChange={(event) => setMonth(valueOf(event))}>
                  <s-option value="">{t("birthday.choose")}</s-option>
                  {MONTHS.map((m) => (
                    <s-option key={m} value={String(m)}>
                      {monthName(m)}
                    </s-option>
                  ))}
                </s-select>
                <s-number-field
                  label={t("birthday.day")}
                  min={1}
                  max={31}
                  value={day}
                  onInput={(event) => setDay(valueOf(event))}
                />
              </s-stack>
              {birthdayError ? <s-text tone="critical">{birthdayError}</s-text> : null}
              <s-button variant="secondary" loading={saving} onClick={saveBirthday}>
                {t("birthday.save")}
              </s-button>
            </s-stack>
          )
        ) : null}
      </s-stack>
    </s-section>
  );
}

function Referral({ api, view, member }: { api: AccountApi; view: AccountView; member: MemberView }) {
  const t = api.i18n.translate;
  const referral = view.program.referral;
  if (!referral) return null;
  const link = `https://${view.program.shop}/?ref=${encodeURIComponent(member.referralCode)}`;
  const invite = t("referral.invite", { shop: view.program.shop });
  return (
    <s-section heading={t("referral.heading")}>
      <s-stack gap="small-200">
        <s-paragraph>
          {referral.friendReward
            ? t("referral.offer", {
                reward: referral.friendReward.name,
                points: pointsText(api, view, referral.points),
              })
            : t("referral.offerPoints", { points: pointsText(api, view, referral.points) })}
        </s-paragraph>
        <s-stack direction="inline" gap="small-200" alignItems="center">
          <s-text>{link}</s-text>
          <s-clipboard-item id="referral-link" text={link} />
          <s-button variant="secondary" commandFor="referral-link">
            {t("referral.copy")}
          </s-button>
        </s-stack>
        <s-stack direction="inline" gap="small-300">
          {SHARE.map(([channel, url]) => (
            <s-link key={channel} href={url(link, invite)} target="_blank">
              {t(`referral.share.${channel}`)}
            </s-link>
          ))}
        </s-stack>
      </s-stack>
    </s-section>
  );
}

function History({ api, client }: { api: AccountApi; client: AccountClient }) {
  const t = api.i18n.translate;
  const [entries, setEntries] = useState<HistoryPage["entries"]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<"loading" | "idle" | "error">("loading");
  const more = (from: string | null) => {
    setState("loading");
    client
      .history(from)
      .then((page) => {
        setEntries((shown) => [...shown, ...page.entries]);
        setCursor(page.nextCursor);
        setState("idle");
      })
      .catch(() => setState("error"));
  };
  useEffect(() => more(null), []);
  return (
    <s-section heading={t("history.heading")}>
      <s-stack gap="small-200">
        {entries.length === 0 && state === "idle" ? <s-text color="subdued">{t("history.empty")}</s-text> : null}
        {entries.map((entry) => (
          <s-stack key={entry.id} direction="inline" gap="small-200" justifyContent="space-between">
            <s-text>
              {formatDay(api, entry.createdAt)} · {entry.reason}
            </s-text>
            <s-text type="strong">
              {entry.points > 0 ? "+" : entry.points < 0 ? "−" : ""}
              {api.i18n.formatNumber(Math.abs(entry.points))}
            </s-text>
          </s-stack>
        ))}
        {state === "error" ? <s-text tone="critical">{t("history.failed")}</s-text> : null}
        {cursor || state === "loading" ? (
          <s-button variant="secondary" loading={state === "loading"} onClick={() => more(cursor)}>
            {t("history.more")}
          </s-button>
        ) : null}
      </s-stack>
    </s-section>
  );
}
