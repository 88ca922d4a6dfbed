import { FRESH_KEY, plural, readConfig, type WidgetConfig } from "./config";

/**
 * The part of the widget every page loads (deferred): it wires the launcher button and
 * fetches the panel's code only when the shopper shows interest (hover, focus, click),
 * so a page view costs a few hundred bytes of script and no request to the app.
 */
interface PanelApi {
  open(opener: HTMLElement, section?: string): void;
}
declare global {
  interface Window {
    ComebackPanel?: PanelApi;
    /** The page's config, handed to the panel. */
    Comeback?: { config: WidgetConfig };
  }
}

const config = readConfig(document);
let loading: Promise<PanelApi> | null = null;

function loadPanel(): Promise<PanelApi> {
  if (!config) return Promise.reject();
  window.Comeback = { config };
  loading ??= new Promise<PanelApi>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = config.panel;
    script.async = true;
    script.onload = () => (window.ComebackPanel ? resolve(window.ComebackPanel) : reject());
    script.onerror = () => {
      loading = null;
      reject();
    };
    document.head.appendChild(script);
  });
  return loading;
}

function open(opener: HTMLElement, section?: string) {
  opener.setAttribute("aria-busy", "true");
  loadPanel()
    .then((panel) => panel.open(opener, section))
    .catch(() => undefined)
    .finally(() => opener.removeAttribute("aria-busy"));
}

const button = document.getElementById("comeback-launcher-button");
if (config && button) {
  // Shopify's copy of the balance can lag a change the panel already showed (a
  // redemption, an order): the fresher one wins, by the member's version, in the
  // launcher and in the account block alike.
  try {
    const seen = JSON.parse(sessionStorage.getItem(FRESH_KEY) ?? "null") as { c: number; b: number; v: number } | null;
    if (seen && seen.c === config.customer && seen.v > config.version)
      for (const node of document.querySelectorAll("[data-comeback-balance]"))
        node.textContent = plural(config, seen.b);
  } catch {
    // Storage blocked: the metafield's balance stays.
  }
  const warm = () => void loadPanel().catch(() => undefined);
  button.addEventListener("pointerenter", warm, { once: true });
  button.addEventListener("focus", warm, { once: true });
  button.addEventListener("click", () => open(button));
}
// Buttons in the account and product blocks open the same panel.
document.addEventListener("click", (event) => {
  const target = (event.target as Element | null)?.closest<HTMLElement>("[data-comeback-open]");
  if (!target || !config) return;
  event.preventDefault();
  open(target, target.dataset.comebackOpen || undefined);
});

// A referral link (?ref=CODE): kept on the cart (so the order carries it) and in this
// browser (so the panel can offer the friend's welcome code), and counted once.
const post = (url: string, body: object) =>
  void fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  }).catch(() => undefined);
const ref = new URLSearchParams(location.search).get("ref");
if (config && ref && /^[A-Za-z0-9_-]{3,32}$/.test(ref)) {
  post("/cart/update.js", { attributes: { comeback_ref: ref } });
  try {
    if (localStorage.getItem("comeback:ref") !== ref) {
      localStorage.setItem("comeback:ref", ref);
      post(`${config.proxy}/actions`, { action: "referral_click", code: ref });
    }
  } catch {
    // Storage blocked: the cart attribute still carries the referral.
  }
}
