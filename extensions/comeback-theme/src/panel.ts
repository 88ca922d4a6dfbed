import { plural, readConfig, text, type WidgetConfig } from "./config";

/**
 * The loyalty panel, loaded on first interaction: the member's balance, tier and progress,
 * rewards with redeem in place, issued codes, ways to earn, the referral link and history;
 * for guests, the program and how to join. A modal dialog: focus moves in and is trapped,
 * Escape closes, focus returns to what opened it.
 */

interface Reward {
  id: string;
  name: string;
  cost: number;
  affordable?: boolean;
  available?: boolean;
}
interface MemberData {
  balance: number;
  pendingPoints: number;
  tier: { name: string } | null;
  nextTier: { name: string; remaining: string; metric: string } | null;
  rewards: Reward[];
  codes: Array<{ code: string; name: string }>;
  referralCode: string;
}
interface ProgramData {
  live: boolean;
  currency: string;
  earning: { points: number; perSpendMinor: number };
  waysToEarn: Array<{ action: string; points: number }>;
  rewards: Reward[];
}
interface MemberResponse {
  /** The proxy path as Shopify reported it to the app: follows a merchant's change. */
  proxy?: string;
  program: ProgramData;
  member: MemberData | null;
  customer: { loggedIn: boolean; enrolled: boolean };
}

type Child = Node | string | null | false | undefined;

function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

function money(config: WidgetConfig, minor: number, currency: string): string {
  const format = new Intl.NumberFormat(config.locale, { style: "currency", currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

const FOCUSABLE = "a[href],button:not([disabled]),input,[tabindex]:not([tabindex='-1'])";

function createPanel(config: WidgetConfig) {
  const t = (key: string, values?: Record<string, string | number>) => text(config, key, values);
  const points = (count: number) => plural(config, "points", count);
  let opener: HTMLElement | null = null;
  let data: MemberResponse | null = null;

  const body = h("div", { class: "cb-body", "aria-live": "polite" });
  const close = h("button", { type: "button", class: "cb-close", "aria-label": t("close") }, "×");
  const title = h("h2", { id: "cb-title", class: "cb-title" }, t("title"));
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
    h("div", { class: "cb-head" }, title, close),
    body,
  );
  const backdrop = h("div", { class: "cb-backdrop", hidden: "" });
  // Inside the embed's root, so the theme editor's colours (CSS variables) apply.
  (document.getElementById("comeback-root") ?? document.body).append(backdrop, dialog);
  if (document.querySelector(".cb-launcher.cb-left")) dialog.classList.add("cb-left");

  async function call<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const response = await fetch(`${config.proxy}${path}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      ...init,
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
  }

  function show(...nodes: Child[]) {
    body.replaceChildren(...nodes.filter((n): n is Node | string => Boolean(n)));
  }

  function section(heading: string, ...content: Child[]) {
    return h("section", { class: "cb-section" }, h("h3", {}, heading), ...content);
  }

  function waysToEarn(program: ProgramData) {
    if (!config.sections.earn) return null;
    const base = h(
      "li",
      {},
      t("earn_spend", {
        points: points(program.earning.points),
        amount: money(config, program.earning.perSpendMinor, program.currency),
      }),
    );
    return section(
      t("ways_to_earn"),
      h(
        "ul",
        {},
        base,
        ...program.waysToEarn.map((way) => h("li", {}, `${t(`action_${way.action}`)}: ${points(way.points)}`)),
      ),
    );
  }

  function codeBox(code: string, name: string) {
    const copy = h("button", { type: "button", class: "cb-link" }, t("copy"));
    copy.addEventListener("click", () => {
      void navigator.clipboard?.writeText(code).then(() => (copy.textContent = t("copied")));
    });
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
      h("div", { class: "cb-row" }, copy, apply),
    );
  }

  async function redeem(reward: Reward, button: HTMLElement, status: HTMLElement) {
    button.setAttribute("disabled", "");
    status.textContent = t("redeeming");
    const result = await call<{ code?: string; error?: string }>("/redeem", {
      method: "POST",
      body: JSON.stringify({ rewardId: reward.id }),
    }).catch(() => null);
    const code = result?.status === 201 ? result.body.code : undefined;
    if (code) {
      await refresh();
      // The refreshed panel lists the new code; if not (yet), show it on top.
      let shown = [...body.querySelectorAll<HTMLElement>(".cb-code-value")].find((el) => el.textContent === code);
      if (!shown) {
        body.prepend(section(t("your_code"), codeBox(code, reward.name)));
        shown = body.querySelector<HTMLElement>(".cb-code-value")!;
      }
      shown.setAttribute("tabindex", "-1");
      shown.focus();
      return;
    }
    button.removeAttribute("disabled");
    status.textContent = t(
      result?.status === 202 ? "redeem_pending" : result?.status === 409 ? "not_enough" : "redeem_failed",
    );
  }

  function rewardList(rewards: Reward[], member: MemberData | null) {
    if (!config.sections.rewards || rewards.length === 0) return null;
    return section(
      t("rewards"),
      h(
        "ul",
        { class: "cb-rewards" },
        ...rewards.map((reward) => {
          const status = h("span", { class: "cb-status", role: "status" });
          const item = h("li", {}, h("span", {}, reward.name), h("span", { class: "cb-cost" }, points(reward.cost)));
          if (member && reward.affordable) {
            const button = h("button", { type: "button", class: "cb-button" }, t("redeem"));
            button.addEventListener("click", () => void redeem(reward, button, status));
            item.append(button, status);
          } else if (member) {
            item.append(
              h(
                "span",
                { class: "cb-muted" },
                reward.available === false
                  ? t("tier_only")
                  : t("more_needed", { points: points(reward.cost - member.balance) }),
              ),
            );
          }
          return item;
        }),
      ),
    );
  }

  function memberView(response: MemberResponse, member: MemberData) {
    // The launcher painted the balance from the metafield; keep it current.
    const label = document.querySelector("#comeback-launcher-button span:last-child");
    if (label && config.loggedIn) label.textContent = points(member.balance);
    const progress = member.nextTier
      ? h(
          "p",
          {},
          member.nextTier.metric === "SPEND"
            ? t("next_tier_spend", {
                amount: money(config, Number(member.nextTier.remaining), response.program.currency),
                tier: member.nextTier.name,
              })
            : member.nextTier.metric === "ORDERS"
              ? t("next_tier_orders", { count: member.nextTier.remaining, tier: member.nextTier.name })
              : t("next_tier_points", {
                  points: points(Number(member.nextTier.remaining)),
                  tier: member.nextTier.name,
                }),
        )
      : null;
    const referral = `${location.origin}/?ref=${encodeURIComponent(member.referralCode)}`;
    const history = h("div", {});
    if (config.sections.history) {
      const more = h("button", { type: "button", class: "cb-link" }, t("show_history"));
      more.addEventListener("click", async () => {
        more.setAttribute("disabled", "");
        const result = await call<{ entries: Array<{ points: number; reason: string; createdAt: string }> }>(
          "/history?limit=10",
        ).catch(() => null);
        const dates = new Intl.DateTimeFormat(config.locale, { dateStyle: "medium" });
        history.replaceChildren(
          result?.status === 200
            ? h(
                "ul",
                { class: "cb-history" },
                ...result.body.entries.map((e) =>
                  h(
                    "li",
                    {},
                    h("span", {}, `${dates.format(new Date(e.createdAt))} · ${e.reason}`),
                    h("strong", {}, e.points > 0 ? `+${e.points}` : String(e.points)),
                  ),
                ),
              )
            : h("p", {}, t("error")),
        );
      });
      history.append(more);
    }
    show(
      h(
        "div",
        { class: "cb-summary" },
        h("p", { class: "cb-balance" }, points(member.balance)),
        member.tier ? h("p", {}, t("tier", { tier: member.tier.name })) : null,
        progress,
        member.pendingPoints > 0
          ? h("p", { class: "cb-muted" }, t("pending", { points: points(member.pendingPoints) }))
          : null,
      ),
      member.codes.length ? section(t("your_codes"), ...member.codes.map((c) => codeBox(c.code, c.name))) : null,
      rewardList(member.rewards, member),
      waysToEarn(response.program),
      config.sections.referral
        ? section(
            t("referral"),
            h("p", {}, t("referral_body")),
            h("input", { class: "cb-input", readonly: "", value: referral, "aria-label": t("referral") }),
          )
        : null,
      config.sections.history ? section(t("history"), history) : null,
    );
  }

  function guestView(response: MemberResponse) {
    const join = response.customer.loggedIn
      ? (() => {
          const button = h("button", { type: "button", class: "cb-button" }, t("join"));
          button.addEventListener("click", async () => {
            button.setAttribute("disabled", "");
            const result = await call("/join", { method: "POST", body: "{}" }).catch(() => null);
            if (result && result.status < 300) await refresh();
            else button.replaceWith(h("p", {}, t("error")));
          });
          return button;
        })()
      : h(
          "div",
          { class: "cb-row" },
          h("a", { class: "cb-button", href: config.register }, t("join")),
          h("a", { class: "cb-link", href: config.login }, t("sign_in")),
        );
    show(h("p", {}, t("guest_intro")), join, waysToEarn(response.program), rewardList(response.program.rewards, null));
  }

  async function refresh() {
    if (!data) show(h("p", { class: "cb-muted", "aria-busy": "true" }, t("loading")));
    const result = await call<MemberResponse>("/member").catch(() => null);
    if (!result || result.status !== 200) {
      const retry = h("button", { type: "button", class: "cb-button" }, t("retry"));
      retry.addEventListener("click", () => void refresh());
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
    const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
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
    open(from: HTMLElement) {
      opener = from;
      dialog.hidden = false;
      backdrop.hidden = false;
      document.getElementById("comeback-launcher-button")?.setAttribute("aria-expanded", "true");
      document.addEventListener("keydown", trap);
      close.focus();
      void refresh();
    },
  };
}

const config = readConfig(document);
if (config) window.ComebackPanel = createPanel(config);
