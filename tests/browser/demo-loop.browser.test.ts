import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload } from "../fixtures/shopify-payloads";
import { hasChromium, launchBrowser, newPage, ARTIFACTS } from "../support/browser";
import { postWebhook, TEST_SECRET } from "../support/shopify";

/**
 * The whole loop on `npm run demo`, as a newcomer would see it: a paid order arrives as a
 * signed webhook, the shopper's balance rises on the storefront page, the shopper redeems
 * a reward and the Admin API stand-in records the discount, and the merchant's dashboard
 * counts both. The demo starts its own embedded PostgreSQL, as it does on a newcomer's
 * machine with no DATABASE_URL.
 */
const DEMO_SHOP = "comeback-demo.myshopify.com";
let demo: ChildProcess;
let output = "";
let dataDir: string;
let browser: Browser;
const ports = { app: 0, storefront: 0, standin: 0 };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const digits = async (locator: Locator) => Number((await locator.innerText()).replace(/\D/g, ""));

beforeAll(async () => {
  if (!hasChromium) return;
  ports.app = await freePort();
  ports.storefront = await freePort();
  ports.standin = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), "comeback-demo-"));
  demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    env: {
      NODE_ENV: "development",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(ports.app),
      COMEBACK_STOREFRONT_PORT: String(ports.storefront),
      COMEBACK_STANDIN_PORT: String(ports.standin),
      COMEBACK_DATA_DIR: dataDir,
      SHOPIFY_API_SECRET: TEST_SECRET,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 150_000;
  while (!output.includes("Comeback demo is running")) {
    if (demo.exitCode !== null || Date.now() > deadline) throw new Error(`demo did not start:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    demo.kill("SIGINT");
    await new Promise((r) => demo.once("exit", r));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function dashboardFigures(page: Page) {
  await page.goto(`http://127.0.0.1:${ports.app}/app?days=7`);
  // The click starts the action a moment later: wait for its answer, then the reload.
  await Promise.all([
    page.waitForResponse(
      (response) => response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/app"),
    ),
    page.getByRole("button", { name: "Refresh now" }).click(),
  ]);
  await page.waitForLoadState("networkidle");
  // A metric card: its heading, then the figure.
  const card = (title: string) =>
    page.getByRole("heading", { name: title, exact: true }).locator("xpath=following::p[1]");
  return { issued: await digits(card("Issued")), redeemed: await digits(card("Redeemed")) };
}

describe.skipIf(!hasChromium)("the demo, end to end", () => {
  it("webhook → balance on the storefront → redemption in 'Shopify' → dashboard", async () => {
    const page = await newPage(browser);
    const before = await dashboardFigures(page);

    // A shopper from the storefront's switcher, and their balance in the panel.
    await page.goto(`http://127.0.0.1:${ports.storefront}/`);
    const customerId = await page.locator("select[name=as] option").nth(1).getAttribute("value");
    expect(customerId).toMatch(/^\d+$/);
    await page.goto(`http://127.0.0.1:${ports.storefront}/?as=${customerId}&locale=en`);
    await page.locator("#comeback-launcher-button").click();
    const dialog = page.getByRole("dialog");
    const balance = dialog.locator(".cb-balance");
    await balance.waitFor();
    const start = await digits(balance);

    // 1. A paid order of $100.00 arrives, signed as Shopify signs it.
    const order = orderPayload({
      id: 990_000_000 + Math.floor(Math.random() * 1e6),
      customer: { id: Number(customerId) },
      lines: [{ price: "100.00" }],
    });
    const response = await postWebhook(`http://127.0.0.1:${ports.app}`, {
      topic: "orders/paid",
      shop: DEMO_SHOP,
      body: JSON.stringify(order),
    });
    expect(response.status).toBe(200);

    // 2. The balance rises on the storefront (1 point per $1, times the tier's multiplier).
    await page.reload();
    await page.locator("#comeback-launcher-button").click();
    await balance.waitFor();
    const afterOrder = await digits(balance);
    expect(afterOrder - start).toBeGreaterThanOrEqual(100);
    expect(afterOrder - start).toBeLessThanOrEqual(300);

    // 3. The shopper redeems; the stand-in has the discount with that code.
    const redeem = dialog.getByRole("button", { name: "Redeem" }).first();
    const rewardRow = redeem.locator("xpath=..");
    const cost = await digits(rewardRow.locator(".cb-cost"));
    await redeem.click();
    const code = dialog.locator(".cb-code-value").first();
    await code.waitFor();
    const state = (await (await fetch(`http://127.0.0.1:${ports.standin}/__standin/state`)).json()) as {
      discounts: Array<{ code: string }>;
    };
    expect(state.discounts.map((d) => d.code)).toContain(await code.innerText());
    await expect.poll(() => digits(balance)).toBe(afterOrder - cost);
    await page.screenshot({ path: `${ARTIFACTS}/demo-loop-storefront.png` });

    // 4. The dashboard counts the order's points and the redemption.
    const after = await dashboardFigures(page);
    expect(after.issued - before.issued).toBe(afterOrder - start);
    expect(after.redeemed - before.redeemed).toBe(cost);
    await page.screenshot({ path: `${ARTIFACTS}/demo-loop-dashboard.png`, fullPage: true });
    await page.close();
  }, 240_000);
});
