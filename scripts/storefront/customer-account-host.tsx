/** @jsxImportSource preact */
/**
 * The demo's stand-in for Shopify's customer-account host: it renders the extension's own
 * Preact targets (extensions/comeback-customer-account) in a plain page, with the `shopify`
 * API they use and a small set of the Polaris web components (s-page, s-button, …) drawn
 * with native, accessible elements. Shopify draws the real ones in its own style; this is
 * only so a newcomer can see and click the Rewards page without a Shopify account.
 * Bundled for the browser by the demo storefront; never part of the app.
 */
import { render } from "preact";
import { OrderPointsBlock, ProfileCard } from "../../extensions/comeback-customer-account/src/blocks";
import { accountClient, type AccountApi } from "../../extensions/comeback-customer-account/src/client";
import { RewardsPage } from "../../extensions/comeback-customer-account/src/rewards-page";

type Messages = { [key: string]: string | Messages };
interface HostConfig {
  appUrl: string;
  locale: string;
  target: "page" | "profile" | "order";
  orderId: string | null;
  messages: Messages;
}

const css = `
:host{display:block}
:host(s-text),:host(s-badge),:host(s-link),:host(s-button){display:inline-block}
.section{background:#fff;border:1px solid #ddd;border-radius:12px;padding:16px 20px}
h1{font-size:28px;margin:0 0 16px} h2{font-size:18px;margin:0 0 12px}
button{font:inherit;padding:6px 14px;border-radius:8px;border:1px solid #1a1a1a;background:#fff;color:#1a1a1a;cursor:pointer}
button.primary{background:#1a1a1a;color:#fff}
button:disabled{opacity:.55;cursor:not-allowed}
.banner{border-radius:8px;padding:10px 14px;background:#fff4f4;border:1px solid #e0b4b4}
label{display:flex;flex-direction:column;font-size:14px;gap:4px} select,input{font:inherit;padding:4px 8px}
.skeleton{height:14px;border-radius:4px;background:#e6e6e6;margin:6px 0}
.badge{display:inline-block;padding:0 8px;border-radius:10px;background:#e8f0fe}
`;

/** A Polaris web component drawn in a shadow root from its attributes, redrawn when they change. */
function define(
  tag: string,
  attributes: string[],
  draw: (host: HTMLElement) => string,
  setup?: (host: HTMLElement) => void,
) {
  customElements.define(
    tag,
    class extends HTMLElement {
      static observedAttributes = attributes;
      connectedCallback() {
        if (!this.shadowRoot) {
          this.attachShadow({ mode: "open" });
          setup?.(this);
        }
        this.shadowRoot!.innerHTML = `<style>${css}</style>${draw(this)}`;
      }
      attributeChangedCallback() {
        if (this.shadowRoot) this.shadowRoot.innerHTML = `<style>${css}</style>${draw(this)}`;
      }
    },
  );
}

const attr = (host: HTMLElement, name: string) => host.getAttribute(name) ?? "";
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function defineComponents() {
  define("s-page", ["heading"], (h) => `<main><h1>${escape(attr(h, "heading"))}</h1><slot></slot></main>`);
  define("s-section", ["heading", "accessibilitylabel"], (h) =>
    attr(h, "heading")
      ? `<section class="section" aria-label="${escape(attr(h, "heading"))}"><h2>${escape(attr(h, "heading"))}</h2><slot></slot></section>`
      : `<section class="section" aria-label="${escape(attr(h, "accessibilitylabel"))}"><slot></slot></section>`);
  define("s-stack", ["direction", "gap"], (h) => {
    const inline = attr(h, "direction") === "inline";
    return `<div style="display:flex;flex-direction:${inline ? "row" : "column"};flex-wrap:wrap;gap:${inline ? 8 : 12}px;align-items:${inline ? "center" : "stretch"}"><slot></slot></div>`;
  });
  define("s-heading", [], () =>
    `<div role="heading" aria-level="3" style="font-size:24px;font-weight:700"><slot></slot></div>`);
  define("s-text", ["type", "color", "tone"], (h) => {
    const color = attr(h, "tone") === "critical" ? "#b3261e" : attr(h, "color") === "subdued" ? "#555" : "inherit";
    return `<span style="color:${color};font-weight:${attr(h, "type") === "strong" ? 600 : 400}"><slot></slot></span>`;
  });
  define("s-paragraph", [], () => `<p style="margin:0"><slot></slot></p>`);
  define("s-badge", [], () => `<span class="badge"><slot></slot></span>`);
  define("s-unordered-list", [], () => `<div role="list" style="padding-left:20px"><slot></slot></div>`);
  define("s-list-item", [], () => `<div role="listitem">• <slot></slot></div>`);
  define("s-skeleton-paragraph", [], () =>
    `<div class="skeleton" aria-hidden="true"></div><div class="skeleton" aria-hidden="true" style="width:60%"></div>`);
  define("s-clipboard-item", ["text"], () => "");
  define("s-banner", ["heading", "tone"], (h) =>
    `<div class="banner" role="${attr(h, "tone") === "critical" ? "alert" : "status"}"><strong>${escape(attr(h, "heading"))}</strong><slot></slot></div>`);
  define("s-progress", ["value", "max", "accessibilitylabel"], (h) =>
    `<progress value="${Number(attr(h, "value")) || 0}" max="${Number(attr(h, "max")) || 1}" aria-label="${escape(attr(h, "accessibilitylabel"))}" style="width:100%"></progress>`);
  define("s-link", ["href", "target"], (h) => {
    // extension:// links open the other targets of this demo page.
    const href = attr(h, "href").replace(/^extension:\/\/comeback-rewards-page\/?/, "/account/rewards");
    return `<a href="${escape(href)}"${attr(h, "target") === "_blank" ? ' target="_blank" rel="noopener"' : ""}><slot></slot></a>`;
  });
  define(
    "s-button",
    ["disabled", "loading", "variant", "accessibilitylabel", "commandfor"],
    (h) => {
      const label = attr(h, "accessibilitylabel");
      const busy = h.hasAttribute("loading");
      return `<button type="button" class="${attr(h, "variant")}"${h.hasAttribute("disabled") || busy ? " disabled" : ""}${label ? ` aria-label="${escape(label)}"` : ""}${busy ? ' aria-busy="true"' : ""}><slot></slot></button>`;
    },
    (host) =>
      host.shadowRoot!.addEventListener("click", (event) => {
        if (host.hasAttribute("disabled") || host.hasAttribute("loading")) event.stopPropagation();
        const target = host.getAttribute("commandfor");
        const text = target ? document.getElementById(target)?.getAttribute("text") : null;
        if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
      }),
  );
  define(
    "s-select",
    ["label", "value"],
    (h) => {
      const options = [...h.querySelectorAll("s-option")]
        .map((o) => {
          const value = o.getAttribute("value") ?? "";
          return `<option value="${escape(value)}"${value === attr(h, "value") ? " selected" : ""}>${escape(o.textContent ?? "")}</option>`;
        })
        .join("");
      return `<label>${escape(attr(h, "label"))}<select>${options}</select></label>`;
    },
    (host) =>
      host.shadowRoot!.addEventListener("change", (event) => {
        (host as unknown as { value: string }).value = (event.target as HTMLSelectElement).value;
        host.dispatchEvent(new Event("change"));
      }),
  );
  define("s-option", ["value"], () => "");
  define(
    "s-number-field",
    ["label", "min", "max", "value"],
    (h) =>
      `<label>${escape(attr(h, "label"))}<input type="number" min="${escape(attr(h, "min"))}" max="${escape(attr(h, "max"))}" value="${escape(attr(h, "value"))}"></label>`,
    (host) =>
      host.shadowRoot!.addEventListener("input", (event) => {
        (host as unknown as { value: string }).value = (event.target as HTMLInputElement).value;
        host.dispatchEvent(new Event("input"));
      }),
  );
}

/** Shopify's `shopify` API, as much of it as the targets use. */
function hostApi(config: HostConfig): AccountApi {
  const lookup = (key: string, count: unknown) => {
    let value: string | Messages | undefined = config.messages;
    for (const part of key.split(".")) value = typeof value === "object" ? value[part] : undefined;
    if (value && typeof value === "object")
      value = value[new Intl.PluralRules(config.locale).select(Number(count))] ?? value.other;
    return typeof value === "string" ? value : key;
  };
  return {
    sessionToken: {
      get: async () => {
        const answer = await fetch("/customer-account/session-token");
        if (!answer.ok) throw new Error("signed out");
        return ((await answer.json()) as { token: string }).token;
      },
    },
    i18n: {
      translate: (key, options = {}) =>
        lookup(key, options.count).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? "")),
      formatNumber: (n) => new Intl.NumberFormat(config.locale).format(n),
      formatCurrency: (amount, options) =>
        new Intl.NumberFormat(config.locale, { style: "currency", currency: options?.currency ?? "USD" }).format(
          amount,
        ),
      formatDate: (date, options) => new Intl.DateTimeFormat(config.locale, options).format(date),
    },
    localization: { language: { value: { isoCode: config.locale } } },
  };
}

const config = JSON.parse(document.getElementById("customer-account-config")!.textContent!) as HostConfig;
defineComponents();
const api = hostApi(config);
const client = accountClient(api, config.appUrl);
const root = document.getElementById("customer-account-root")!;
render(
  config.target === "profile" ? (
    <ProfileCard api={api} client={client} />
  ) : config.target === "order" ? (
    <OrderPointsBlock api={api} client={client} orderId={config.orderId ?? undefined} />
  ) : (
    <RewardsPage api={api} client={client} />
  ),
  root,
);
