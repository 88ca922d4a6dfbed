import { FRESH_KEY, numberLocale, text, type WidgetConfig } from "./config";

/**
 * The loyalty panel, loaded on first interaction: the member's balance, tier and progress,
 * running campaigns, a birthday gift to choose, their codes, rewards with redeem in place,
 * ways to earn (social follows and the birthday form included), the referral link and
 * history; for guests, the program, a referred friend's welcome offer and how to join.
 * A modal dialog: focus moves in and is trapped, Escape closes, focus returns to what
 * opened it. Names and reasons arrive in the shopper's language from the App Proxy.
 */

interface Reward {
  id: string;
  name: string;
  type: string;
  cost: number;
  tier: string | null;
  affordable?: boolean;
  available?: boolean;
}
interface Way {
  action: string;
  points: number;
  network?: string;
  label?: string;
  url?: string;
}
interface MemberData {
  balance: number;
  pendingPoints: number;
  pendingUntil: string | null;
  tier: { name: string } | null;
  nextTier: { name: string; remaining: string; metric: string } | null;
  rewards: Reward[];
  codes: Array<{ code: string; name: string; endsAt: string | null; origin: string }>;
  referralCode: string;
  birthday: { month: number; day: number } | null;
  followed: string[];
  giftChoice: { options: Reward[]; expiresAt: string } | null;
  surprise: { id: string; note: string } | null;
  /** An unanswered NPS survey: one link per score, 0..10, to the store's survey page. */
  survey: { scores: string[] } | null;
  version: number;
}
interface ProgramData {
  live: boolean;
  currency: string;
  earning: { points: number; perSpendMinor: number };
  waysToEarn: Way[];
  birthday: { leadDays: number; gift: string; points: number } | null;
  referral: { points: number; friendReward: Reward | null } | null;
  rewards: Reward[];
  campaigns: Array<{ name: string; multiplier: number; startsAt: string; endsAt: string }>;
}
interface MemberResponse {
  /** The proxy path as Shopify reported it to the app: follows a merchant's change. */
  proxy?: string;
  program: ProgramData;
  member: MemberData | null;
  customer: { loggedIn: boolean; enrolled: boolean };
}
interface Issued {
  code?: string | null;
  credited?: { amountMinor: number; currency: string } | null;
}

type Child = Node | string | null | false | undefined;

function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

function createPanel(config: WidgetConfig, plural: (config: WidgetConfig, count: number) => string) {
  const t = (key: string, values?: Record<string, string | number>) => text(config, key, values);
  const points = (count: number) => plural(config, count);
  const locale = numberLocale(config);
  const money = (minor: number, currency: string) => {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency });
    return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  };
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
  let opener: HTMLElement | null = null;
  let data: MemberResponse | null = null;
  let ref: string | null = null;
  try {
    ref = localStorage.getItem("comeback:ref");
  } catch {
    // Storage blocked: no friend offer.
  }

  document.head.append(h("link", { rel: "stylesheet", href: config.css }));
  const body = h("div", { class: "cb-body", "aria-live": "polite" });
  const close = h("button", { type: "button", class: "cb-close", "aria-label": t("close") }, "×");
  const dialog = h(
    "div",
    {
      class: "cb-panel",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "cb-title",
      tabindex: "-1",
      hidden: "",
    },
    h("div", { class: "cb-head" }, h("h2", { id: "cb-title", class: "cb-title" }, t("title")), close),
    body,
  );
  const backdrop = h("div", { class: "cb-backdrop", hidden: "" });
  // Inside the embed's root, so the colours (CSS variables) apply.
  (document.getElementById("comeback-root") ?? document.body).append(backdrop, dialog);
  if (document.querySelector(".cb-launcher.cb-left")) dialog.classList.add("cb-left");

  async function call<T>(path: string, payload?: object): Promise<{ status: number; body: T }> {
    const response = await fetch(`${config.proxy}${path}${path.includes("?") ? "&" : "?"}locale=${config.lang}`, {
      method: payload ? "POST" : "GET",
      headers: { "Content-Type": "application/json" },
      body: payload && JSON.stringify(payload),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
  }
  const act = <T>(payload: object) =>
    call<T & { error?: string; message?: string }>("/actions", payload).catch(() => null);

  function show(...nodes: Child[]) {
    body.replaceChildren(...nodes.filter((n): n is Node | string => Boolean(n)));
  }

  function section(id: string, heading: string, ...content: Child[]) {
    return h("section", { class: "cb-section", id: `cb-${id}` }, h("h3", {}, heading), ...content);
  }

  /** A button that runs `work`, shows its outcome in a status line, and stays off while busy. */
  function action(label: string, work: (status: HTMLElement) => Promise<void>, cls = "cb-button") {
    const status = h("span", { class: "cb-status", role: "status" });
    const button = h("button", { type: "button", class: cls }, label);
    button.addEventListener("click", async () => {
      button.setAttribute("disabled", "");
      await work(status).catch(() => (status.textContent = t("error")));
      if (button.isConnected) button.removeAttribute("disabled");
    });
    return [button, status] as const;
  }

  function codeBox(code: string, name: string, endsAt?: string | null) {
    const [copy] = action(
      t("copy"),
      async () => {
        await navigator.clipboard?.writeText(code);
        copy.textContent = t("copied");
      },
      "cb-link",
    );
    const apply = h(
      "a",
      {
        class: "cb-button",
        href: `/discount/${encodeURIComponent(code)}?redirect=${encodeURIComponent(location.pathname)}`,
      },
      t("apply"),
    );
    return h(
      "div",
      { class: "cb-code" },
      h("span", {}, name),
      h("strong", { class: "cb-code-value" }, code),
      endsAt && h("span", { class: "cb-muted" }, t("expires", { date: date(endsAt) })),
      h("div", { class: "cb-row" }, copy, apply),
    );
  }

  /** After an issue: the new code on top (the refreshed panel lists it), or the credit. */
  async function issued(result: { status: number; body: Issued } | null, name: string, status: HTMLElement) {
    if (result && result.status < 300 && (result.body.code || result.body.credited)) {
      const { code, credited } = result.body;
      await refresh();
      const note = credited
        ? h(
            "p",
            { class: "cb-note", tabindex: "-1" },
            t("credited", { amount: money(credited.amountMinor, credited.currency) }),
          )
        : codeBox(code!, name);
      body.prepend(section("issued", t("your_code"), note));
      note.setAttribute("tabindex", "-1");
      note.focus();
      return;
    }
    status.textContent = t(
      result?.status === 202 ? "redeem_pending" : result?.status === 409 ? "not_enough" : "redeem_failed",
    );
  }

  function rewardList(rewards: Reward[], member: MemberData | null) {
    if (!config.sections.rewards || rewards.length === 0) return null;
    return section(
      "rewards",
      t("rewards"),
      h(
        "ul",
        { class: "cb-rewards" },
        ...rewards.map((reward) => {
          const item = h("li", {}, h("span", {}, reward.name), h("span", { class: "cb-cost" }, points(reward.cost)));
          if (member && reward.affordable) {
            const [button, status] = action(t("redeem"), async (line) => {
              line.textContent = t("redeeming");
              await issued(await call<Issued>("/redeem", { rewardId: reward.id }).catch(() => null), reward.name, line);
            });
            item.append(button, status);
          } else if (member) {
            const why =
              reward.available === false
                ? t("tier_only", { tier: reward.tier ?? "" })
                : t("more_needed", { points: points(reward.cost - member.balance) });
            item.append(h("span", { class: "cb-muted" }, why));
          }
          return item;
        }),
      ),
    );
  }

  function birthdayForm() {
    const field = (label: string, name: string, max: number) =>
      h(
        "label",
        {},
        label,
        h("input", { class: "cb-input", name, type: "number", min: "1", max: String(max), inputmode: "numeric" }),
      );
    const form = h(
      "form",
      { class: "cb-row" },
      field(t("birthday_day"), "day", 31),
      field(t("birthday_month"), "month", 12),
      field(t("birthday_year"), "year", new Date().getFullYear()),
    );
    const [save, status] = action(t("birthday_save"), async (line) => {
      const value = (name: string) =>
        (form.querySelector<HTMLInputElement>(`[name=${name}]`)?.value ?? "").padStart(2, "0");
      const year = value("year").replace(/^0+$/, "");
      const result = await act({
        action: "birthday",
        birthday: `${year ? `${year}-` : ""}${value("month")}-${value("day")}`,
      });
      line.textContent =
        result?.status === 200
          ? t("birthday_saved", { days: data?.program.birthday?.leadDays ?? 0 })
          : (result?.body.message ?? t("error"));
      if (result?.status === 200) form.remove();
    });
    return [form, save, status];
  }

  function waysToEarn(program: ProgramData, member: MemberData | null) {
    if (!config.sections.earn) return null;
    const items = program.waysToEarn.map((way) => {
      if (way.action !== "SOCIAL_FOLLOW") return h("li", {}, `${t(`action_${way.action}`)}: ${points(way.points)}`);
      const label = t("follow", { network: way.label ?? "" });
      if (!member || member.followed.includes(way.network ?? "")) return h("li", {}, `${label}: ${points(way.points)}`);
      // Honour system, as every loyalty app: the profile opens, the points come once.
      const [button, status] = action(label, async (line) => {
        window.open(way.url, "_blank", "noopener");
        const result = await act<{ awarded: number }>({ action: "social_follow", network: way.network });
        line.textContent = result?.status === 200 ? t("followed", { points: points(result.body.awarded) }) : t("error");
      });
      return h("li", {}, button, h("span", { class: "cb-cost" }, points(way.points)), status);
    });
    if (program.birthday?.gift === "CHOICE") items.push(h("li", {}, t("birthday_gift")));
    return section(
      "earn",
      t("ways_to_earn"),
      h(
        "ul",
        {},
        h(
          "li",
          {},
          t("earn_spend", {
            points: points(program.earning.points),
            amount: money(program.earning.perSpendMinor, program.currency),
          }),
        ),
        ...items,
      ),
    );
  }

  function campaigns(program: ProgramData) {
    const now = Date.now();
    return program.campaigns
      .filter((c) => Date.parse(c.startsAt) <= now && now < Date.parse(c.endsAt))
      .map((c) =>
        h(
          "p",
          { class: "cb-banner" },
          t("campaign", {
            name: c.name,
            multiplier: c.multiplier,
            date: date(new Date(Date.parse(c.endsAt) - 1).toISOString()),
          }),
        ),
      );
  }

  function friendOffer(program: ProgramData, member: MemberData | null) {
    const reward = program.referral?.friendReward;
    if (!ref || !reward || (member && member.referralCode === ref)) return null;
    const email = h("input", {
      class: "cb-input",
      type: "email",
      autocomplete: "email",
      "aria-label": t("friend_email"),
      placeholder: t("friend_email"),
    });
    const [get, status] = action(t("friend_get"), async (line) => {
      const result = await act<Issued>({
        action: "referral_friend",
        code: ref,
        ...(config.loggedIn ? {} : { email: (email as HTMLInputElement).value }),
      });
      if (result && result.status < 300 && result.body.code) {
        offer.replaceChildren(h("p", {}, t("friend_code")), codeBox(result.body.code, reward.name));
        return;
      }
      line.textContent = result?.body.message ?? t("error");
    });
    const offer = section(
      "friend",
      t("friend_offer", { reward: reward.name }),
      !config.loggedIn && email,
      h("div", { class: "cb-row" }, get, status),
    );
    return offer;
  }

  /** "You've got a gift", once per surprise in this browser. */
  function surpriseNote(gift: MemberData["surprise"]) {
    try {
      if (!gift || localStorage.getItem("comeback:gift") === gift.id) return null;
      localStorage.setItem("comeback:gift", gift.id);
      return h("p", { class: "cb-banner" }, t("gift_note", { note: gift.note }));
    } catch {
      return null;
    }
  }

  function giftChoice(member: MemberData) {
    const choice = member.giftChoice;
    if (!choice) return null;
    return section(
      "gift",
      t("gift_choose"),
      h(
        "ul",
        {},
        ...choice.options.map((gift) => {
          const [pick, status] = action(t("gift_pick"), async (line) => {
            await issued(await act<Issued>({ action: "birthday_gift", rewardId: gift.id }), gift.name, line);
          });
          return h("li", {}, h("span", {}, gift.name), pick, status);
        }),
      ),
    );
  }

  function memberView(response: MemberResponse, member: MemberData) {
    // Shopify's copy of the balance may lag: the launcher (on this and later pages) shows this one.
    if (config.loggedIn)
      for (const node of document.querySelectorAll("[data-comeback-balance]"))
        node.textContent = points(member.balance);
    try {
      sessionStorage.setItem(FRESH_KEY, JSON.stringify({ c: config.customer, b: member.balance, v: member.version }));
    } catch {
      // Storage blocked.
    }
    const next = member.nextTier;
    const progress = next
      ? h(
          "p",
          {},
          next.metric === "SPEND"
            ? t("next_tier_spend", {
                amount: money(Number(next.remaining), response.program.currency),
                tier: next.name,
              })
            : next.metric === "ORDERS"
              ? t("next_tier_orders", { count: next.remaining, tier: next.name })
              : t("next_tier_points", { points: points(Number(next.remaining)), tier: next.name }),
        )
      : null;
    const pending =
      member.pendingPoints > 0 &&
      h(
        "p",
        { class: "cb-muted" },
        member.pendingUntil
          ? t("pending_until", { points: points(member.pendingPoints), date: date(member.pendingUntil) })
          : t("pending", { points: points(member.pendingPoints) }),
      );
    const link = `${location.origin}/?ref=${encodeURIComponent(member.referralCode)}`;
    const history = h("div", {});
    if (config.sections.history) {
      const [more] = action(
        t("show_history"),
        async () => {
          const result = await call<{ entries: Array<{ points: number; reason: string; createdAt: string }> }>(
            "/history?limit=10",
          );
          history.replaceChildren(
            result.status === 200
              ? h(
                  "ul",
                  { class: "cb-history" },
                  ...result.body.entries.map((e) =>
                    h(
                      "li",
                      {},
                      h("span", {}, `${date(e.createdAt)} · ${e.reason}`),
                      h("strong", {}, e.points > 0 ? `+${e.points}` : String(e.points)),
                    ),
                  ),
                )
              : h("p", {}, t("error")),
          );
        },
        "cb-link",
      );
      history.append(more);
    }
    const [share] = action(t("share"), () => navigator.share?.({ url: link }) ?? Promise.resolve(), "cb-link");
    const [copy] = action(
      t("copy"),
      async () => {
        await navigator.clipboard?.writeText(link);
        copy.textContent = t("copied");
      },
      "cb-link",
    );
    const origin = (o: string) => (o === "points" ? "" : `${t(`origin_${o}`)}: `);
    show(
      ...campaigns(response.program),
      h(
        "div",
        { class: "cb-summary" },
        h("p", { class: "cb-balance" }, points(member.balance)),
        member.tier && h("p", {}, t("tier", { tier: member.tier.name })),
        progress,
        pending,
      ),
      surpriseNote(member.surprise),
      member.survey &&
        section(
          "survey",
          t("survey"),
          h("p", { class: "cb-scores" }, ...member.survey.scores.map((href, score) => h("a", { href }, String(score)))),
          h("p", { class: "cb-muted" }, t("survey_scale")),
        ),
      giftChoice(member),
      friendOffer(response.program, member),
      member.codes.length > 0 &&
        section(
          "codes",
          t("your_codes"),
          ...member.codes.map((c) => codeBox(c.code, origin(c.origin) + c.name, c.endsAt)),
        ),
      rewardList(member.rewards, member),
      waysToEarn(response.program, member),
      response.program.birthday && !member.birthday && section("birthday", t("birthday"), ...birthdayForm()),
      config.sections.referral &&
        response.program.referral &&
        section(
          "referral",
          t("referral"),
          h("p", {}, t("referral_body")),
          h("input", { class: "cb-input", readonly: "", value: link, "aria-label": t("referral") }),
          h("div", { class: "cb-row" }, copy, "share" in navigator && share),
        ),
      config.sections.history && section("history", t("history"), history),
    );
  }

  function guestView(response: MemberResponse) {
    const join = response.customer.loggedIn
      ? action(t("join"), async (status) => {
          const result = await call("/join", {});
          if (result.status < 300) await refresh();
          else status.textContent = t("error");
        })
      : [
          h(
            "div",
            { class: "cb-row" },
            h("a", { class: "cb-button", href: config.register }, t("join")),
            h("a", { class: "cb-link", href: config.login }, t("sign_in")),
          ),
        ];
    show(
      ...campaigns(response.program),
      friendOffer(response.program, null),
      h("p", {}, t("guest_intro")),
      ...join,
      waysToEarn(response.program, null),
      rewardList(response.program.rewards, null),
    );
  }

  async function refresh() {
    if (!data) show(h("p", { class: "cb-muted", "aria-busy": "true" }, t("loading")));
    const result = await call<MemberResponse>("/member").catch(() => null);
    if (!result || result.status !== 200) {
      const [retry] = action(t("retry"), () => refresh());
      show(h("p", {}, t("error")), retry);
      return;
    }
    data = result.body;
    if (data.proxy?.startsWith("/")) config.proxy = data.proxy;
    if (!data.program.live) show(h("p", {}, t("not_live")));
    else if (data.member) memberView(data, data.member);
    else guestView(data);
  }

  function trap(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      hide();
      return;
    }
    if (event.key !== "Tab") return;
    const items = [
      ...dialog.querySelectorAll<HTMLElement>("a[href],button:not([disabled]),input,[tabindex]:not([tabindex='-1'])"),
    ].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function hide() {
    dialog.hidden = true;
    backdrop.hidden = true;
    document.removeEventListener("keydown", trap);
    document.getElementById("comeback-launcher-button")?.setAttribute("aria-expanded", "false");
    opener?.focus();
  }

  close.addEventListener("click", hide);
  backdrop.addEventListener("click", hide);

  return {
    async open(from: HTMLElement, target?: string) {
      opener = from;
      dialog.hidden = false;
      backdrop.hidden = false;
      document.getElementById("comeback-launcher-button")?.setAttribute("aria-expanded", "true");
      document.addEventListener("keydown", trap);
      close.focus();
      await refresh();
      if (target) document.getElementById(`cb-${target}`)?.scrollIntoView({ block: "start" });
    },
  };
}

// The launcher loads the panel and hands it the page's config.
const shared = window.Comeback;
if (shared) window.ComebackPanel = createPanel(shared.config, shared.plural);
