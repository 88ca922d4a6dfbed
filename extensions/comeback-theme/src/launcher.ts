import { readConfig } from "./config";

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
  }
}

const config = readConfig(document);
let loading: Promise<PanelApi> | null = null;

function loadPanel(): Promise<PanelApi> {
  if (!config) return Promise.reject(new Error("comeback: no config"));
  loading ??= new Promise<PanelApi>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = config.panel;
    script.async = true;
    script.onload = () =>
      window.ComebackPanel ? resolve(window.ComebackPanel) : reject(new Error("comeback: panel missing"));
    script.onerror = () => {
      loading = null;
      reject(new Error("comeback: panel failed to load"));
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

// A referral link (?ref=CODE) is kept on the cart, so the order that follows carries it.
const ref = new URLSearchParams(location.search).get("ref");
if (ref && /^[A-Za-z0-9_-]{3,32}$/.test(ref)) {
  void fetch("/cart/update.js", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ attributes: { comeback_ref: ref } }),
  }).catch(() => undefined);
}
