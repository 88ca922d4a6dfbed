import { createHmac, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { EXTENSION_DIR, renderBlock, type StorefrontCustomer, type StorefrontLocale } from "./render";
import { build } from "esbuild";
import { Liquid } from "liquidjs";
import type { CreatedDiscount } from "../shopify-standin/admin-api";
import { STANDIN_PRODUCTS } from "../shopify-standin/catalog";
import { orderPayload } from "../../tests/fixtures/shopify-payloads";
import { cartJson, type DemoCart } from "./cart";
import { mintSessionToken } from "../shopify-standin/session-token";

/**
 * A minimal Online Store on this machine: a page that renders the theme app extension's
 * blocks with liquidjs in a plain store layout, a shopper switcher (the "logged-in
 * customer"), and the App Proxy at /apps/comeback/* that forwards to the app's /proxy/*
 * with the query Shopify adds (shop, logged_in_customer_id, path_prefix, timestamp) and
 * its HMAC signature. Used by the demo and by the widget's browser tests.
 *
 * A cart (cart.ts) answers the Cart AJAX API the widget's cart script uses, shows the cart
 * block on /cart, and "checks out" by sending the app a signed orders/paid webhook for the
 * cart's lines and applied codes, as Shopify would after payment.
 *
 * It also stands in for Shopify's customer accounts: /account/rewards, /account/profile
 * and /account/orders/<id> render the customer-account extension's targets
 * (customer-account-host.tsx) with a customer-account session token minted for the
 * signed-in shopper, as Shopify would.
 */

export interface StorefrontData {
  /** The app-data metafield `loyalty.program`, as Shopify holds it after the app's sync. */
  program: Record<string, unknown> | null;
  customers: Array<{ id: number; name: string }>;
  customer(id: number): Promise<StorefrontCustomer | null>;
  /** The discount codes the app created in the Admin API stand-in, for the cart to judge. */
  discounts: CreatedDiscount[];
}

export interface StorefrontOptions {
  appUrl: string;
  secret: string;
  shop: string;
  shopName: string;
  currency: string;
  port?: number;
  /** The app's API key, the `aud` of the customer-account tokens minted here. */
  apiKey?: string;
  data: () => Promise<StorefrontData>;
  /**
   * The store's main menu, as the theme's header shows it (the demo reads the Admin API
   * stand-in's, so a link the app adds appears). Without it, a fixed link to the
   * loyalty page.
   */
  mainMenu?: () => Array<{ title: string; url: string }>;
}

const ACCOUNT_LOCALES = "extensions/comeback-customer-account/locales";

/** The customer-account host page's script, bundled once per process. */
let hostBundle: Promise<string> | null = null;
function customerAccountBundle(): Promise<string> {
  hostBundle ??= build({
    entryPoints: [join(import.meta.dirname, "customer-account-host.tsx")],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    target: ["es2022"],
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "warning",
  }).then((result) => result.outputFiles[0]!.text);
  return hostBundle;
}

export interface RunningStorefront {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export const PROXY_PREFIX = "/apps/comeback";
const PRODUCT = STANDIN_PRODUCTS[0]!;

function signedQuery(params: Record<string, string>, secret: string): string {
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  return new URLSearchParams({
    ...params,
    signature: createHmac("sha256", secret).update(message).digest("hex"),
  }).toString();
}

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? "")
      .split(";")
      .map((c) => c.trim().split("=") as [string, string])
      .filter(([k]) => k),
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function page(locale: StorefrontLocale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fafafa}header{display:flex;gap:16px;align-items:center;justify-content:space-between;padding:12px 24px;background:#fff;border-bottom:1px solid #ddd}main{max-width:960px;margin:0 auto;padding:24px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:24px}.card{background:#fff;padding:20px;border-radius:12px;border:1px solid #ddd}label{font-size:14px}select,button{font:inherit}cart-drawer{position:fixed;top:0;right:0;bottom:0;z-index:100;display:block;width:min(420px,100vw);overflow:auto;padding:20px;background:#fff;box-shadow:-4px 0 20px rgba(0,0,0,.2)}cart-drawer[hidden]{display:none}</style>
</head><body>${body}</body></html>`;
}

export async function startStorefront(options: StorefrontOptions): Promise<RunningStorefront> {
  const assets = join(EXTENSION_DIR, "assets");
  const menuLinks = (locale: StorefrontLocale) =>
    (options.mainMenu?.() ?? [{ title: locale === "ru" ? "Бонусная программа" : "Rewards program", url: PROXY_PREFIX }])
      .map((item) => `<a href="${escapeHtml(item.url)}">${escapeHtml(item.title)}</a>`)
      .join("");

  async function proxy(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    customerId: string,
    locale: StorefrontLocale,
  ) {
    const path = url.pathname.slice(PROXY_PREFIX.length);
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    Object.assign(params, {
      shop: options.shop,
      logged_in_customer_id: customerId,
      path_prefix: PROXY_PREFIX,
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    const upstream = await fetch(`${options.appUrl}/proxy${path}?${signedQuery(params, options.secret)}`, {
      method: req.method,
      headers: { "content-type": req.headers["content-type"] ?? "application/json", "x-forwarded-for": "127.0.0.1" },
      body: body ? new Uint8Array(body) : undefined,
    });
    // A Liquid answer is rendered, then placed in the theme's layout, as Shopify does for
    // App Proxy pages (with the storefront's locale and the shop's address).
    if ((upstream.headers.get("content-type") ?? "").startsWith("application/liquid")) {
      const content = await new Liquid().parseAndRender(await upstream.text(), {
        request: { locale: { iso_code: locale } },
        shop: { url: `http://${req.headers.host ?? "127.0.0.1"}`, name: options.shopName },
      });
      // The theme's app embed is on every page, this one too: its panel opens from the page's buttons.
      const data = await options.data();
      const embed = await renderBlock("comeback-launcher", {
        locale,
        shop: { name: options.shopName, currency: options.currency },
        program: data.program,
        customer: customerId ? await data.customer(Number(customerId)) : null,
      });
      const html = page(
        locale,
        options.shopName,
        `<header><strong>${escapeHtml(options.shopName)}</strong><a href="/">${locale === "ru" ? "Магазин" : "Store"}</a></header><main>${content}</main>${embed}`,
      );
      return void res
        .writeHead(upstream.status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(html);
    }
    res.writeHead(upstream.status, {
      "content-type": upstream.headers.get("content-type") ?? "application/json",
      "cache-control": "no-store",
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }

  /** A customer-account page with one of the extension's targets, for the signed-in shopper. */
  async function customerAccount(
    res: ServerResponse,
    locale: StorefrontLocale,
    customerId: string,
    orderId: string | null,
    which: string,
  ) {
    const target = orderId ? "order" : which === "profile" ? "profile" : "page";
    const file = locale === "ru" ? "ru.json" : "en.default.json";
    const config = {
      appUrl: options.appUrl,
      locale,
      target,
      orderId: orderId ? `gid://shopify/Order/${orderId}` : null,
      messages: JSON.parse(await readFile(join(ACCOUNT_LOCALES, file), "utf8")) as unknown,
    };
    const nav = [
      ["/account/rewards", locale === "ru" ? "Бонусы" : "Rewards"],
      ["/account/profile", locale === "ru" ? "Профиль" : "Profile"],
      ["/", locale === "ru" ? "Магазин" : "Store"],
    ]
      .map(([href, label]) => `<a href="${href}">${label}</a>`)
      .join(" · ");
    const body = customerId
      ? `<div id="customer-account-root"></div><script type="application/json" id="customer-account-config">${JSON.stringify(config).replace(/</g, "\\u003c")}</script><script type="module" src="/customer-account/app.js"></script>`
      : `<main><p>${locale === "ru" ? "Войдите: выберите покупателя на странице магазина." : "Sign in: choose a shopper on the store page."}</p></main>`;
    res.writeHead(customerId ? 200 : 401, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(
      page(
        locale,
        `${options.shopName}: ${locale === "ru" ? "аккаунт" : "account"}`,
        `<header><strong>${escapeHtml(options.shopName)}</strong><nav aria-label="${locale === "ru" ? "Аккаунт" : "Account"}">${nav}</nav></header><div style="max-width:760px;margin:0 auto;padding:24px">${body}</div>`,
      ),
    );
  }

  /** `widget: false` renders the same page without the extension, for comparisons. */
  async function home(
    res: ServerResponse,
    locale: StorefrontLocale,
    customerId: number | null,
    widget: boolean,
    cart: DemoCart | null,
  ) {
    const data = await options.data();
    const customer = customerId === null ? null : await data.customer(customerId);
    const context = {
      locale,
      shop: { name: options.shopName, currency: options.currency },
      program: data.program,
      customer,
      // The demo theme has a cart drawer, as Dawn's family says it does.
      themeSettings: { cart_type: "drawer" },
    };
    const [product, account, embed] = widget
      ? await Promise.all([
          renderBlock("product-points", { ...context, product: PRODUCT }),
          renderBlock("account-rewards", context),
          renderBlock("comeback-launcher", context),
        ])
      : ["", "", ""];
    const options_ = [
      `<option value="">${locale === "ru" ? "Гость" : "Guest"}</option>`,
      ...(customerId !== null && !data.customers.some((c) => c.id === customerId)
        ? [{ id: customerId, name: customer?.firstName ?? `#${customerId}` }]
        : []
      ).map((c) => `<option value="${c.id}" selected>${escapeHtml(c.name)}</option>`),
      ...data.customers.map(
        (c) => `<option value="${c.id}"${c.id === customerId ? " selected" : ""}>${escapeHtml(c.name)}</option>`,
      ),
    ].join("");
    const switcher = `<form method="get" action="/"><label>${locale === "ru" ? "Покупатель" : "Shopper"} <select name="as" onchange="this.form.submit()">${options_}</select></label>
<label> <select name="locale" aria-label="Language" onchange="this.form.submit()"><option value="en"${locale === "en" ? " selected" : ""}>English</option><option value="ru"${locale === "ru" ? " selected" : ""}>Русский</option></select></label> <button type="submit">OK</button></form>`;
    const drawer = await cartDrawer(locale, customerId === null ? "" : String(customerId), cart);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(
      page(
        locale,
        options.shopName,
        `<header><strong>${escapeHtml(options.shopName)}</strong><button type="button" id="open-cart-drawer" aria-controls="CartDrawer" onclick="document.getElementById('CartDrawer').hidden=false">${locale === "ru" ? "Корзина" : "Cart"}</button>${menuLinks(locale)}<a href="/account/rewards">${locale === "ru" ? "Бонусы в аккаунте" : "Rewards in the account"}</a>${switcher}</header>
<main><div class="grid"><section class="card" aria-labelledby="product-title"><h1 id="product-title">${escapeHtml(PRODUCT.title)}</h1><p>${new Intl.NumberFormat(locale, { style: "currency", currency: options.currency }).format(PRODUCT.price / 100)}</p>${product}
<form method="post" action="/cart/add"><input type="hidden" name="id" value="${PRODUCT.variants[0]!.id}"><button type="submit">${locale === "ru" ? "В корзину" : "Add to cart"}</button></form></section>
<div class="card">${account || `<p>${escapeHtml(options.shopName)}</p>`}</div></div></main>${drawer}${embed}`,
      ),
    );
  }

  const carts = new Map<string, DemoCart>();
  const cartOf = (token: string | undefined): DemoCart | null => (token ? (carts.get(token) ?? null) : null);
  function newCart(): DemoCart {
    const cart: DemoCart = { token: randomUUID(), lines: [], codes: [], attributes: {} };
    carts.set(cart.token, cart);
    return cart;
  }
  const cartCookie = (cart: DemoCart) => `sf_cart=${cart.token}; Path=/; SameSite=Lax`;
  const money = (locale: StorefrontLocale, minor: number) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: options.currency }).format(minor / 100);

  function addToCart(cart: DemoCart, productId: number, quantity: number): boolean {
    const product = STANDIN_PRODUCTS.find((p) => p.id === productId || p.variants.some((v) => v.id === productId));
    if (!product || !Number.isInteger(quantity) || quantity < 1 || quantity > 99) return false;
    const line = cart.lines.find((l) => l.product.id === product.id);
    if (line) line.quantity += quantity;
    else cart.lines.push({ product, quantity });
    return true;
  }

  async function cartState(cart: DemoCart, customerId: string) {
    return cartJson(cart, (await options.data()).discounts, customerId, options.currency);
  }

  /**
   * A theme's cart drawer, shaped like Dawn's (`<cart-drawer id="CartDrawer">` with a
   * `.drawer__footer`): the app embed's cart script puts the rewards before the footer.
   */
  async function cartDrawer(locale: StorefrontLocale, customerId: string, cart: DemoCart | null) {
    const ru = locale === "ru";
    const state = cart ? await cartState(cart, customerId) : null;
    const items = state?.items.length
      ? `<ul>${state.items.map((i) => `<li>${escapeHtml(i.title)} × ${i.quantity}: ${money(locale, i.line_price)}</li>`).join("")}</ul>`
      : `<p>${ru ? "Корзина пуста." : "Your cart is empty."}</p>`;
    return `<cart-drawer id="CartDrawer" hidden>
<div class="drawer__inner" role="dialog" aria-label="${ru ? "Корзина" : "Cart"}"><h2>${ru ? "Корзина" : "Your cart"}</h2><div class="drawer__contents">${items}</div>
<div class="drawer__footer"><p>${ru ? "Итого" : "Total"}: ${money(locale, state?.total_price ?? 0)}</p><a href="/cart">${ru ? "Перейти в корзину" : "View cart"}</a>
<button type="button" onclick="document.getElementById('CartDrawer').hidden=true">${ru ? "Закрыть" : "Close"}</button></div></div></cart-drawer>`;
  }

  /** The cart page: lines, codes, totals, the theme's cart block, and checkout. */
  async function cartPage(res: ServerResponse, locale: StorefrontLocale, customerId: string, cart: DemoCart) {
    const data = await options.data();
    const state = cartJson(cart, data.discounts, customerId, options.currency);
    const customer = customerId ? await data.customer(Number(customerId)) : null;
    const context = {
      locale,
      shop: { name: options.shopName, currency: options.currency },
      program: data.program,
      customer,
    };
    const [block, embed] = await Promise.all([
      renderBlock("cart-rewards", context),
      renderBlock("comeback-launcher", context),
    ]);
    const ru = locale === "ru";
    const rows = state.items
      .map(
        (item) =>
          `<tr><td>${escapeHtml(item.title)}</td><td>${item.quantity}</td><td>${money(locale, item.line_price)}</td></tr>`,
      )
      .join("");
    const codes = state.discount_codes
      .map(
        (c) =>
          `<li>${escapeHtml(c.code)}: ${c.applicable ? (ru ? "применён" : "applied") : ru ? "не действует для этой корзины" : "does not apply to this cart"}</li>`,
      )
      .join("");
    const lines = state.items.length
      ? `<table><caption>${ru ? "Товары" : "Items"}</caption><thead><tr><th scope="col">${ru ? "Товар" : "Product"}</th><th scope="col">${ru ? "Кол-во" : "Qty"}</th><th scope="col">${ru ? "Сумма" : "Price"}</th></tr></thead><tbody>${rows}</tbody></table>
<p>${ru ? "Подытог" : "Subtotal"}: <span data-cart-subtotal>${money(locale, state.original_total_price)}</span></p>
${codes ? `<ul aria-label="${ru ? "Коды скидок" : "Discount codes"}">${codes}</ul>` : ""}
<p>${ru ? "Скидка" : "Discount"}: <span data-cart-discount>${money(locale, state.total_discount)}</span></p>
<p><strong>${ru ? "Итого" : "Total"}: <span data-cart-total>${money(locale, state.total_price)}</span></strong></p>
<form method="post" action="/cart/checkout"><button type="submit">${ru ? "Оформить заказ" : "Check out"}</button></form>`
      : `<p>${ru ? "Корзина пуста." : "Your cart is empty."} <a href="/">${ru ? "В магазин" : "Continue shopping"}</a></p>`;
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "set-cookie": cartCookie(cart),
    });
    res.end(
      page(
        locale,
        `${options.shopName}: ${ru ? "корзина" : "cart"}`,
        `<header><strong>${escapeHtml(options.shopName)}</strong><a href="/">${ru ? "В магазин" : "Store"}</a></header>
<main><div class="card"><h1>${ru ? "Корзина" : "Your cart"}</h1>${lines}${block}</div></main>${embed}`,
      ),
    );
  }

  /**
   * Checkout: Shopify would take payment and send orders/paid. Here the order is the
   * cart's lines, the applicable codes' amount taken off the first line, and the codes in
   * `discount_codes`, signed with the app's secret like every webhook.
   */
  async function checkout(res: ServerResponse, locale: StorefrontLocale, customerId: string, cart: DemoCart) {
    const state = await cartState(cart, customerId);
    if (!state.items.length) return void res.writeHead(303, { location: "/cart" }).end();
    const id = Date.now();
    const name = `#S${id % 100000}`;
    let discount = state.total_discount;
    const payload = orderPayload({
      id,
      name,
      currency: options.currency,
      processedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      customer: customerId ? { id: Number(customerId) } : null,
      email: customerId ? null : "guest@example.com",
      lines: state.items.map((item) => {
        const take = Math.min(discount, item.line_price);
        discount -= take;
        return {
          price: (item.price / 100).toFixed(2),
          quantity: item.quantity,
          productId: item.product_id,
          ...(take ? { discount: (take / 100).toFixed(2) } : {}),
        };
      }),
      discountCodes: state.discount_codes.filter((c) => c.applicable).map((c) => c.code),
      noteAttributes: Object.entries(cart.attributes).map(([key, value]) => ({ name: key, value })),
    });
    const body = JSON.stringify(payload);
    const response = await fetch(`${options.appUrl}/webhooks/orders/paid`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/paid",
        "x-shopify-hmac-sha256": createHmac("sha256", options.secret).update(body).digest("base64"),
        "x-shopify-shop-domain": options.shop,
        "x-shopify-api-version": "2026-10",
        "x-shopify-webhook-id": randomUUID(),
      },
      body,
    });
    carts.delete(cart.token);
    const ru = locale === "ru";
    res.writeHead(response.ok ? 200 : 502, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(
      page(
        locale,
        `${options.shopName}: ${ru ? "заказ" : "order"}`,
        `<header><strong>${escapeHtml(options.shopName)}</strong><a href="/">${ru ? "В магазин" : "Store"}</a></header>
<main><div class="card"><h1 data-order-name="${name}">${ru ? `Спасибо! Заказ ${name} оплачен.` : `Thank you! Order ${name} is paid.`}</h1>
<p>${ru ? "Итого" : "Total"}: ${money(locale, state.total_price)}${state.total_discount ? ` (${ru ? "скидка" : "discount"} ${money(locale, state.total_discount)})` : ""}</p>
<p>${response.ok ? "" : `orders/paid → ${response.status}`}</p></div></main>`,
      ),
    );
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://storefront.local");
    const jar = cookies(req);
    const customerId = jar.sf_customer && /^\d+$/.test(jar.sf_customer) ? jar.sf_customer : "";
    const locale: StorefrontLocale = (url.searchParams.get("locale") ?? jar.sf_locale) === "ru" ? "ru" : "en";
    const work = async () => {
      if (url.pathname === PROXY_PREFIX || url.pathname.startsWith(`${PROXY_PREFIX}/`))
        return proxy(req, res, url, customerId, locale);
      if (url.pathname.startsWith("/extension-assets/")) {
        const file = url.pathname.slice("/extension-assets/".length);
        if (!/^[\w.-]+$/.test(file)) return void res.writeHead(404).end();
        const content = await readFile(join(assets, file)).catch(() => null);
        if (!content) return void res.writeHead(404).end();
        res.writeHead(200, {
          "content-type": file.endsWith(".css") ? "text/css" : "text/javascript",
          "cache-control": "public, max-age=60",
        });
        return void res.end(content);
      }
      if (url.pathname === "/" && (url.searchParams.has("as") || url.searchParams.has("locale"))) {
        const as = url.searchParams.get("as") ?? customerId;
        const next = new URLSearchParams(url.searchParams);
        next.delete("as");
        next.delete("locale");
        res.writeHead(303, {
          location: `/${next.size ? `?${next}` : ""}`,
          "set-cookie": [
            `sf_customer=${/^\d+$/.test(as) ? as : ""}; Path=/; SameSite=Lax`,
            `sf_locale=${locale}; Path=/; SameSite=Lax`,
          ],
        });
        return void res.end();
      }
      if (url.pathname === "/customer-account/app.js") {
        res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
        return void res.end(await customerAccountBundle());
      }
      if (url.pathname === "/customer-account/session-token") {
        if (!customerId) return void res.writeHead(401, { "content-type": "application/json" }).end("{}");
        const token = mintSessionToken({
          shop: options.shop,
          apiKey: options.apiKey ?? "demo",
          secret: options.secret,
          surface: "customer-account",
          sub: `gid://shopify/Customer/${customerId}`,
        });
        return void res
          .writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
          .end(JSON.stringify({ token }));
      }
      const accountPage = /^\/account\/(rewards|profile|orders\/(\d{1,19}))$/.exec(url.pathname);
      if (accountPage) return customerAccount(res, locale, customerId, accountPage[2] ?? null, accountPage[1]!);
      // The account page shows the same blocks (the account block is what email links open).
      if (url.pathname === "/" || url.pathname === "/account")
        return home(
          res,
          locale,
          customerId ? Number(customerId) : null,
          url.searchParams.get("widget") !== "0",
          cartOf(jar.sf_cart),
        );
      if (url.pathname.startsWith("/cart")) {
        const cart = cartOf(jar.sf_cart) ?? newCart();
        const sendCart = async (status = 200) =>
          void res
            .writeHead(status, {
              "content-type": "application/json",
              "cache-control": "no-store",
              "set-cookie": cartCookie(cart),
            })
            .end(JSON.stringify(await cartState(cart, customerId)));
        if (url.pathname === "/cart.js") return sendCart();
        if (req.method === "POST" && url.pathname === "/cart/update.js") {
          const input = JSON.parse((await readBody(req)).toString() || "{}") as {
            discount?: unknown;
            attributes?: Record<string, unknown>;
          };
          if (typeof input.discount === "string")
            cart.codes = [
              ...new Set(
                input.discount
                  .split(",")
                  .map((c) => c.trim())
                  .filter(Boolean),
              ),
            ];
          for (const [key, value] of Object.entries(input.attributes ?? {})) cart.attributes[key] = String(value);
          return sendCart();
        }
        if (req.method === "POST" && url.pathname === "/cart/add.js") {
          const input = JSON.parse((await readBody(req)).toString() || "{}") as { id?: number; quantity?: number };
          if (!addToCart(cart, Number(input.id), Number(input.quantity ?? 1)))
            return void res
              .writeHead(422, { "content-type": "application/json" })
              .end(
                JSON.stringify({ status: 422, message: "Cart Error", description: "The product could not be found." }),
              );
          return sendCart();
        }
        if (req.method === "POST" && url.pathname === "/cart/add") {
          const form = new URLSearchParams((await readBody(req)).toString());
          addToCart(cart, Number(form.get("id")), Number(form.get("quantity") ?? 1));
          return void res.writeHead(303, { location: "/cart", "set-cookie": cartCookie(cart) }).end();
        }
        if (req.method === "POST" && url.pathname === "/cart/checkout") return checkout(res, locale, customerId, cart);
        if (url.pathname === "/cart") return cartPage(res, locale, customerId, cart);
      }
      const discount = /^\/discount\/([^/]+)$/.exec(url.pathname);
      if (discount)
        return void res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(page(locale, "Discount", `<main><h1>${escapeHtml(decodeURIComponent(discount[1]!))}</h1></main>`));
      if (url.pathname === "/account/login" || url.pathname === "/account/register")
        return void res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(page(locale, "Account", `<main><h1>${url.pathname.slice(9)}</h1></main>`));
      res.writeHead(404).end();
    };
    work().catch((error: unknown) => {
      res
        .writeHead(502, { "content-type": "text/plain" })
        .end(`storefront error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
