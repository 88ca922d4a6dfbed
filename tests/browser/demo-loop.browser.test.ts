import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerPayload, orderPayload } from "../fixtures/shopify-payloads";
import { hasChromium, launchBrowser, newPage, seriousA11yViolations, ARTIFACTS } from "../support/browser";
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

const run = promisify(execFile);
/** Text as a reader sees it: Intl puts no-break spaces between a number and its word. */
const shown = (text: string) => text.replace(/\s+/g, " ").trim();
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

  it("a new shopper earns every way the widget shows and redeems every reward type; the merchant's colour and points name reach the storefront", async () => {
    const app = `http://127.0.0.1:${ports.app}`;
    const store = `http://127.0.0.1:${ports.storefront}`;
    const standin = async () =>
      (await (await fetch(`http://127.0.0.1:${ports.standin}/__standin/state`)).json()) as {
        discounts: Array<{ code: string; mutation: string }>;
        credits: Array<{ customer: string; amount: string }>;
      };
    const webhook = async (topic: string, payload: unknown) =>
      expect((await postWebhook(app, { topic, shop: DEMO_SHOP, body: JSON.stringify(payload) })).status, topic).toBe(
        200,
      );
    // The helper commands, run as the README prints them (they find the demo on their own).
    const helper = async (script: "send" | "jobs", ...args: string[]) =>
      (
        await run(process.execPath, ["--import", "tsx", `scripts/demo/${script}.ts`, ...args], {
          env: { NODE_ENV: "development", PATH: process.env.PATH, HOME: process.env.HOME, COMEBACK_DATA_DIR: dataDir },
        })
      ).stdout;
    const demoState = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8")) as { databaseUrl: string };
    const db = new pg.Client({ connectionString: demoState.databaseUrl });
    await db.connect();
    db.on("error", () => undefined); // the demo's database stops with the demo

    // 1. The merchant picks a green accent and calls points "stars".
    const merchant = await newPage(browser);
    await merchant.goto(`${app}/app/branding`);
    await merchant.getByLabel("Button colour", { exact: true }).fill("#0b6e4f");
    await merchant.getByRole("button", { name: "Save" }).click();
    await merchant.getByText("Saved").first().waitFor();
    await merchant.goto(`${app}/app/program`);
    await merchant.getByLabel("English: 1 …").fill("star");
    await merchant.getByLabel("English: 5 …").fill("stars");
    await merchant
      .locator("form", { has: merchant.getByLabel("English: 1 …") })
      .getByRole("button", { name: "Save" })
      .click();
    await merchant.getByText("Saved").first().waitFor();

    // 2. A new customer account (customers/create): a member with the signup bonus, on the
    // storefront in the merchant's colour and words as soon as the sync has pushed them.
    const id = 7_200_000_000 + Math.floor(Math.random() * 1e6);
    const email = `walk-${id}@example.com`;
    const syncStarted = Date.now();
    await webhook("customers/create", customerPayload({ id, email, firstName: "Walker" }));
    const shopper = await newPage(browser);
    shopper.context().on("page", (popup) => void popup.close()); // the networks' profiles
    const launcher = shopper.locator("#comeback-launcher-button");
    const firstPaint = async () => {
      await shopper.goto(`${store}/?as=${id}&locale=en`);
      return {
        label: shown(await launcher.innerText()),
        colour: await launcher.evaluate((el) => getComputedStyle(el).backgroundColor),
      };
    };
    await expect
      .poll(firstPaint, { timeout: 30_000, interval: 250 })
      .toEqual({ label: expect.stringMatching(/\b100 stars$/), colour: "rgb(11, 110, 79)" });
    const signupLag = Date.now() - syncStarted;

    const dialog = shopper.getByRole("dialog");
    const openPanel = async () => {
      await shopper.goto(`${store}/?as=${id}&locale=en`);
      await launcher.click();
      await dialog.locator(".cb-balance").waitFor();
    };
    const balance = () => digits(dialog.locator(".cb-balance"));
    // Codes are created in Shopify by a job a moment after the order: reopen until shown.
    const panelShows = (text: string) =>
      expect
        .poll(
          async () => {
            await openPanel();
            return dialog.getByText(text).count();
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBeGreaterThan(0);
    await openPanel();
    expect(shown(await dialog.locator(".cb-balance").innerText())).toBe("100 stars");

    // 3. Birthday (day and month), then a follow on Instagram: 25 stars, once.
    await dialog.getByLabel("Day").fill("15");
    await dialog.getByLabel("Month").fill("3");
    await dialog.getByRole("button", { name: "Save birthday" }).click();
    await dialog.getByText("Saved. Your gift comes 7 days before your birthday.").waitFor();
    await dialog.getByRole("button", { name: "Follow us on Instagram" }).click();
    await dialog.getByText("Thanks for following! +25 stars").waitFor();
    await openPanel();
    expect(await balance()).toBe(125);
    expect(await dialog.getByRole("button", { name: "Follow us on Instagram" }).count()).toBe(0);
    expect(await dialog.locator("#cb-birthday").count()).toBe(0);

    // 4. The first paid order: points, the first-order bonus and the first ladder code.
    let orders = 0;
    const order = async (dollars: number, customer: number, orderEmail: string, productId = 632910394) =>
      webhook(
        "orders/paid",
        orderPayload({
          id: 980_000_000 + Math.floor(Math.random() * 1e7) + ++orders,
          // Placed in the order sent (the fixture's default date is one fixed day).
          processedAt: new Date(Date.now() - 3_600_000 + orders * 60_000).toISOString(),
          customer: { id: customer, email: orderEmail },
          email: orderEmail,
          lines: [{ price: dollars.toFixed(2), productId }],
        }),
      );
    // Green tea is in the running "Green tea week" campaign: double points on it.
    await order(50, id, email, 632910392);
    await openPanel();
    expect(await balance()).toBe(125 + 2 * 50 + 100);
    await panelShows("Thank-you code: Thank you: $10 off your next order");

    // 5. A review through the review app's signed webhook (the demo's Judge.me).
    expect(await helper("send", "review", "judgeme", String(id))).toMatch(/→ 200/);
    // 6. The second order: $900 takes the member to Gold (spend ≥ $800) and brings code two.
    await order(900, id, email);
    await openPanel();
    const afterOrders = await balance();
    expect(afterOrders).toBe(325 + 50 + 25 + 900); // review, photo review, the order
    await panelShows("Thank-you code: Come back soon: 10% off");
    await dialog.getByText("Gold").first().waitFor();

    // 7. A friend arrives through the referral link, gets the welcome code for an email,
    // opens an account with it and orders: the referrer is credited.
    const link = await dialog.getByRole("textbox", { name: "Your referral link" }).inputValue();
    expect(link).toMatch(new RegExp(`^${store}/\\?ref=`));
    const friend = await newPage(browser);
    await friend.goto(link);
    await friend.locator("#comeback-launcher-button").click();
    const friendEmail = `friend-${id}@example.com`;
    await friend.getByRole("textbox", { name: "Your email" }).fill(friendEmail);
    await friend.getByRole("button", { name: "Get my code" }).click();
    const welcome = await friend.locator(".cb-code-value").first().innerText();
    expect((await standin()).discounts.map((d) => d.code)).toContain(welcome);
    await friend.close();
    const friendId = id + 1;
    await webhook("customers/create", customerPayload({ id: friendId, email: friendEmail, firstName: "Friend" }));
    await order(40, friendId, friendEmail);
    await openPanel();
    expect(await balance()).toBe(afterOrders + 500);

    // 8. The merchant adds stars by hand; the next page shows them at first paint.
    const memberId = (await db.query<{ id: string }>(`SELECT id FROM "Member" WHERE "customerId" = $1`, [id])).rows[0]!
      .id;
    await merchant.goto(`${app}/app/members/${memberId}`);
    await merchant.getByLabel("Points to add or remove").fill("4000");
    await merchant.getByLabel("Reason (required, kept in the log)").first().fill("Walk-through top-up");
    const adjusted = Date.now();
    await merchant.getByRole("button", { name: "Adjust", exact: true }).click();
    const total = afterOrders + 500 + 4000;
    await expect
      .poll(async () => (await firstPaint()).label, { timeout: 30_000, interval: 250 })
      .toMatch(new RegExp(`\\b${total.toLocaleString("en-US")} stars$`));
    const adjustmentLag = Date.now() - adjusted;

    // 9. Every reward type, redeemed in place: each code is a discount in "Shopify", the
    // store credit lands on the customer's account, and a reload shows the balance at once.
    await openPanel();
    let left = total;
    for (const [name, mutation] of [
      ["$5 off your order", "discountCodeBasicCreate"],
      ["Free shipping", "discountCodeFreeShippingCreate"],
      ["15% off (Gold members)", "discountCodeBasicCreate"],
      ["$10 store credit", null],
      ["A free Tea sample box", "discountCodeBasicCreate"],
    ] as const) {
      const row = dialog.locator(".cb-rewards li").filter({ hasText: name });
      const cost = await digits(row.locator(".cb-cost"));
      await row.getByRole("button", { name: "Redeem" }).click();
      const issued = dialog.locator("#cb-issued");
      if (mutation) {
        const code = await issued.locator(".cb-code-value").innerText();
        expect((await standin()).discounts).toContainEqual(expect.objectContaining({ code, mutation }));
      } else {
        await issued.getByText("$10.00 was added to your store credit").waitFor();
        expect((await standin()).credits).toContainEqual(
          expect.objectContaining({ customer: `gid://shopify/Customer/${id}`, amount: "10.00" }),
        );
      }
      left -= cost;
      // The launcher and the account block at first paint, before any request to the app.
      await shopper.reload();
      expect(shown(await launcher.innerText())).toMatch(new RegExp(`\\b${left.toLocaleString("en-US")} stars$`));
      expect(shown(await shopper.locator("p[data-comeback-balance]").innerText())).toBe(
        `${left.toLocaleString("en-US")} stars`,
      );
      await launcher.click();
      await dialog.locator(".cb-balance").waitFor();
      expect(await balance()).toBe(left);
    }

    // 10. A week before the birthday the daily job offers the gift choice; the shopper picks one.
    expect(await helper("jobs", "--as-of", "2027-03-08T09:00:00Z")).toMatch(/[1-9]\d*\s+birthday gifts/);
    await openPanel();
    const gift = dialog.locator("#cb-gift li").filter({ hasText: "Birthday: 20% off" });
    await gift.getByRole("button", { name: "Choose" }).click();
    const giftCode = await dialog.locator("#cb-issued .cb-code-value").innerText();
    expect((await standin()).discounts.map((d) => d.code)).toContain(giftCode);

    // The panel, account block and product block in both languages, for the record.
    for (const locale of ["en", "ru"] as const) {
      await shopper.goto(`${store}/?as=${id}&locale=${locale}`);
      await shopper
        .locator("section.cb-block")
        .first()
        .screenshot({
          path: `${ARTIFACTS}/walk-account-${locale}.png`,
        });
      await shopper
        .locator("#product-title")
        .locator("xpath=..")
        .first()
        .screenshot({
          path: `${ARTIFACTS}/walk-product-${locale}.png`,
        });
      await launcher.click();
      await dialog.locator(".cb-balance").waitFor();
      await shopper.screenshot({ path: `${ARTIFACTS}/walk-panel-${locale}.png` });
    }
    console.log(
      `walk: first paint fresh ${signupLag} ms after customers/create, ${adjustmentLag} ms after an admin adjustment`,
    );
    await db.end();
    await Promise.all([merchant.close(), shopper.close()]);
  }, 300_000);

  it("edits a message template: the preview follows, a test send reaches the mailbox, a broken template is refused", async () => {
    const app = `http://127.0.0.1:${ports.app}`;
    const page = await newPage(browser);
    await page.goto(`${app}/app/messages`);
    await page.getByRole("heading", { name: "Messages", level: 1 }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/messages-en.png`, fullPage: true });
    await page.getByRole("link", { name: "Edit template" }).first().click();
    await page.waitForURL(/\/app\/messages\/WELCOME$/);
    const subject = page.getByLabel("Subject", { exact: true });
    const shownSubject = page.getByTestId("preview-subject");
    await expect.poll(() => shownSubject.innerText()).toBe("Welcome to Comeback Demo Store rewards");
    await subject.fill("{{ customer.first_name }}, your {{ balance | points }} are waiting");
    // "points", or the name the walk-through gave them.
    await expect
      .poll(() => shownSubject.innerText(), { timeout: 10_000 })
      .toMatch(/^Olga, your 1,250 (points|stars) are waiting$/);

    const address = `merchant-${Date.now()}@example.com`;
    await page.getByLabel("Send a test to").fill(address);
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByText(`Test sent to ${address}.`).waitFor();
    const mailbox = async () =>
      (await (await fetch(`${app}/demo/mailbox.json`)).json()) as Array<{ to: string; subject: string; text: string }>;
    const test = (await mailbox()).find((m) => m.to.includes(address));
    expect(test?.subject).toMatch(/^\[Test\] Olga, your 1,250 (points|stars) are waiting$/);
    expect(test?.text.replace(/\s+/g, " ")).toContain("Email preferences or unsubscribe");

    // A body that does not parse is refused at save, with its line.
    await page.getByLabel("Body", { exact: true }).fill("<p>Hi</p>\n{% if balance > 0 %}<p>unclosed</p>");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("The template was not saved: fix the marked fields.").waitFor();
    await page
      .getByText(/line 2: tag \{% if balance > 0 %\} not closed/)
      .first()
      .waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/message-editor-en.png`, fullPage: true });
    await page.close();
  }, 120_000);

  it("answers the NPS survey from the email on the store's page, in English and Russian, accessibly", async () => {
    const app = `http://127.0.0.1:${ports.app}`;
    // The daily selection (as demo:jobs runs it) sends the surveys of last week's deliveries.
    await run(process.execPath, ["--import", "tsx", "scripts/demo/jobs.ts"], {
      env: { NODE_ENV: "development", PATH: process.env.PATH, HOME: process.env.HOME, COMEBACK_DATA_DIR: dataDir },
    });
    const mails = (await (await fetch(`${app}/demo/mailbox.json`)).json()) as Array<{
      kind: string | null;
      subject: string;
      text: string;
    }>;
    const surveys = mails.filter((m) => m.kind === "NPS");
    for (const [language, subject] of [
      ["en", /^How was your order/],
      ["ru", /^Как вам заказ/],
    ] as const) {
      const mail = surveys.find((m) => subject.test(m.subject));
      expect(mail, `a survey in ${language}`).toBeTruthy();
      // The score 9, through the click tracker, to the store's page.
      const tracked = [...mail!.text.matchAll(/\((http[^)\s]+\/m\/c\/[^)\s]+)\)/g)].map((m) => m[1]!);
      const nine = tracked.find((url) => decodeURIComponent(new URL(url).searchParams.get("u") ?? "").endsWith("&s=9"));
      expect(nine).toBeTruthy();
      const page = await newPage(browser);
      await page.goto(nine!);
      await page.getByRole("heading", { name: language === "ru" ? "Спасибо!" : "Thank you!" }).waitFor();
      expect(await page.locator("main").innerText()).toContain(language === "ru" ? "9 из 10" : "9 out of 10");
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/nps-survey-${language}.png`, fullPage: true });
      await page.getByRole("textbox").fill(language === "ru" ? "Всё отлично" : "All good");
      await page.getByRole("button", { name: language === "ru" ? "Отправить" : "Send" }).click();
      await page.getByRole("status").waitFor();
      await page.close();
    }
  }, 120_000);
});
