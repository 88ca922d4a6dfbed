/**
 * Spending points in the cart: fills every `[data-comeback-cart]` slot (the cart block, or
 * the one the app embed puts in a theme's cart drawer) with the app's fragment for this
 * cart, and runs its buttons. Redeem → the App Proxy issues the code → the Cart AJAX API
 * (`/cart/update.js`, `discount`) applies it next to the cart's other codes → the fragment
 * is painted again from the cart Shopify now holds. The texts and rules live in the app.
 */
interface Cart {
  original_total_price: number;
  total_price: number;
  total_discount: number;
  currency: string;
  discount_codes?: Array<{ code: string; applicable: boolean }>;
}
declare global {
  interface Window {
    ComebackCart?: boolean;
  }
}

const SLOT = "[data-comeback-cart]";
const json = { "Content-Type": "application/json" };

async function paint(slot: HTMLElement, note = "") {
  const cart = (await (await fetch("/cart.js")).json()) as Cart;
  const query = new URLSearchParams({
    locale: slot.dataset.locale ?? "",
    subtotal: String(cart.original_total_price),
    total: String(cart.total_price),
    discount: String(cart.total_discount),
    currency: cart.currency,
    codes: (cart.discount_codes ?? []).map((c) => `${c.code}~${c.applicable ? 1 : 0}`).join(),
  });
  if (note) query.set("note", note);
  const response = await fetch(`${slot.dataset.proxy}/cart?${query}`);
  if (!response.ok) throw new Error();
  slot.innerHTML = await response.text();
  // The launcher shows the balance this redemption left, not the metafield's older one.
  const balance = slot.querySelector<HTMLElement>("[data-balance]")?.dataset.balance;
  if (balance) for (const node of document.querySelectorAll("[data-comeback-balance]")) node.textContent = balance;
  slot.querySelector<HTMLElement>("[data-focus]")?.focus();
}

async function tap(slot: HTMLElement, action: string, value: string): Promise<string> {
  let code = value;
  if (action === "redeem") {
    const response = await fetch(`${slot.dataset.proxy}/redeem`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ rewardId: value }),
    });
    const body = (await response.json().catch(() => ({}))) as {
      code?: string;
      credited?: { amountMinor: number };
    };
    if (body.credited) return `credited:${body.credited.amountMinor}`;
    if (!body.code) return response.status === 202 ? "pending" : response.status === 409 ? "not_enough" : "failed";
    code = body.code;
  }
  // `discount` replaces the cart's codes: send the others too, so theirs stay.
  const others = (slot.querySelector<HTMLElement>("[data-codes]")?.dataset.codes ?? "")
    .split(",")
    .filter((c) => c && c.toUpperCase() !== code.toUpperCase());
  const update = await fetch("/cart/update.js", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ discount: (action === "remove" ? others : [...others, code]).join() }),
  });
  if (!update.ok) return "failed";
  return `${action === "remove" ? "removed" : "applied"}:${code}`;
}

/**
 * Drawers themes expose (Dawn's `cart-drawer` and its kin): a slot goes before their
 * footer. A theme can instead place `<div data-comeback-cart></div>` where it wants it.
 */
const DRAWERS = "cart-drawer,#CartDrawer";
const config = JSON.parse(document.getElementById("comeback-config")?.textContent || "{}") as {
  proxy?: string;
  locale?: string;
};

/** A slot is painted when it comes into view: a closed drawer costs no request. */
const seen = new IntersectionObserver((entries) => {
  for (const entry of entries)
    if (entry.isIntersecting) {
      const slot = entry.target as HTMLElement;
      seen.unobserve(slot);
      void paint(slot).catch(() => (slot.hidden = true));
    }
});

function fill() {
  for (const drawer of document.querySelectorAll(DRAWERS)) {
    if (drawer.querySelector(SLOT)) continue;
    const slot = document.createElement("div");
    slot.dataset.comebackCart = "";
    const footer = drawer.querySelector(".drawer__footer");
    if (footer) footer.before(slot);
    else drawer.append(slot);
  }
  for (const slot of document.querySelectorAll<HTMLElement>(SLOT)) {
    if (slot.dataset.seen) continue;
    slot.dataset.seen = "1";
    slot.dataset.proxy ||= config.proxy;
    slot.dataset.locale ||= config.locale;
    seen.observe(slot);
  }
}

if (!window.ComebackCart) {
  window.ComebackCart = true;
  document.addEventListener("click", async (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>("[data-cb-cart]");
    const slot = button?.closest<HTMLElement>(SLOT);
    if (!button || !slot) return;
    const [action = "", value = ""] = button.dataset.cbCart!.split(/:(.*)/s);
    button.disabled = true;
    const note = await tap(slot, action, value).catch(() => "failed");
    await paint(slot, note).catch(() => (button.disabled = false));
  });
  fill();
  // A theme's drawer re-renders its content after every cart change: put the slot back.
  new MutationObserver(fill).observe(document.body, { childList: true, subtree: true });
}
export {};
