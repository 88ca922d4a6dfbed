import { FRESH_KEY, text, type WidgetConfig } from "./config";

/**
 * The loyalty panel, loaded on first interaction: a modal dialog whose content the app
 * renders (GET /proxy/panel, in the shopper's language) and this script swaps in. Focus
 * moves in and is trapped, Escape closes, focus returns to what opened it. The content's
 * buttons say what they do (see app/storefront/panel.tsx): `data-cb-do` posts its JSON,
 * with its form's fields, and the answer is the panel again with the outcome on top;
 * `data-cb-get` loads again with a query; `data-cb-copy`, `data-cb-share`, `data-cb-open`.
 */

function h(tag: string, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function createPanel(config: WidgetConfig) {
  const t = (key: string) => text(config, key);
  let opener: HTMLElement | null = null;
  let ref: string | null = null;
  try {
    ref = localStorage.getItem("comeback:ref");
  } catch {
    // Storage blocked: no friend offer.
  }

  document.head.append(h("link", { rel: "stylesheet", href: config.css }));
  const body = h("div", { class: "cb-body", "aria-live": "polite" });
  // The header (title, close button, the merchant's colours and image) is the app
  // embed's Liquid template, the same markup the admin's Branding preview shows.
  const head = document.getElementById("comeback-panel-head") as HTMLTemplateElement;
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
    head.content.cloneNode(true),
    body,
  );
  const close = dialog.querySelector(".cb-close") as HTMLElement;
  const backdrop = h("div", { class: "cb-backdrop", hidden: "" });
  // Inside the embed's root, so the colours (CSS variables) apply.
  (document.getElementById("comeback-root") ?? document.body).append(backdrop, dialog);
  if (document.querySelector(".cb-launcher.cb-left")) dialog.classList.add("cb-left");

  /** Loads the panel (or posts an action) and shows the answer; on failure, an error with a retry. */
  async function load(extra = "", payload?: object) {
    if (!body.firstChild) body.replaceChildren(h("p", { class: "cb-muted", "aria-busy": "true" }, t("loading")));
    const query = new URLSearchParams({
      locale: config.locale,
      origin: location.origin,
      path: location.pathname,
      hide: Object.keys(config.sections)
        .filter((s) => !config.sections[s as keyof WidgetConfig["sections"]])
        .join(),
    });
    if (ref) query.set("ref", ref);
    try {
      const response = await fetch(`${config.proxy}/panel?${query}${extra}`, {
        method: payload ? "POST" : "GET",
        headers: { "Content-Type": "application/json" },
        body: payload && JSON.stringify(payload),
      });
      if (!response.ok) throw new Error();
      body.innerHTML = await response.text();
    } catch {
      const retry = h("button", { type: "button", class: "cb-button" }, t("retry"));
      retry.onclick = () => void load(extra);
      body.replaceChildren(h("p", {}, t("error")), retry);
      return;
    }
    const root = body.firstElementChild as HTMLElement;
    // The proxy path as Shopify reported it to the app: follows a merchant's change.
    if (root.dataset.proxy) config.proxy = root.dataset.proxy;
    const { balance, b, v } = root.dataset;
    if (balance) {
      // Shopify's copy of the balance may lag: the launcher (on this and later pages) shows this one.
      for (const node of document.querySelectorAll("[data-comeback-balance]")) node.textContent = balance;
      try {
        sessionStorage.setItem(FRESH_KEY, JSON.stringify({ c: config.customer, b: Number(b), v: Number(v) }));
      } catch {
        // Storage blocked.
      }
    }
    // "You've got a gift", once per surprise in this browser.
    for (const note of body.querySelectorAll<HTMLElement>("[data-cb-once]"))
      try {
        if (localStorage.getItem(note.dataset.cbOnce!)) continue;
        localStorage.setItem(note.dataset.cbOnce!, "1");
        note.hidden = false;
      } catch {
        // Storage blocked: no note.
      }
    if ("share" in navigator)
      for (const share of body.querySelectorAll<HTMLElement>("[data-cb-share]")) share.hidden = false;
    body.querySelector<HTMLElement>("[data-focus]")?.focus();
  }

  body.addEventListener("submit", (event) => {
    event.preventDefault();
    (event.target as HTMLElement).querySelector<HTMLElement>("[data-cb-do]")?.click();
  });
  body.addEventListener("click", async (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>("button");
    if (!button) return;
    const { cbDo, cbGet, cbCopy, cbShare, cbOpen } = button.dataset;
    if (cbCopy) {
      await navigator.clipboard?.writeText(cbCopy);
      button.textContent = button.dataset.cbCopied ?? "";
    }
    if (cbShare) void navigator.share?.({ url: cbShare }).catch(() => undefined);
    if (cbOpen) window.open(cbOpen, "_blank", "noopener");
    if (!cbDo && !cbGet) return;
    button.disabled = true;
    const fields = button.form ? Object.fromEntries(new FormData(button.form)) : {};
    await load(cbGet ? `&${cbGet}` : "", cbDo && { ...JSON.parse(cbDo), ...fields });
    if (cbGet) document.getElementById("cb-history")?.scrollIntoView({ block: "start" });
  });

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
      await load();
      if (target) document.getElementById(`cb-${target}`)?.scrollIntoView({ block: "start" });
    },
  };
}

// The launcher loads the panel and hands it the page's config.
const shared = window.Comeback;
if (shared) window.ComebackPanel = createPanel(shared.config);
