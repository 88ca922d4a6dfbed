import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDefaultProgram } from "../../app/services/defaults";
import { runImport } from "../../app/services/member-import";
import { runBulkAction } from "../../app/services/admin/bulk-members";
import { loadShopContext } from "../../app/services/shop-context";
import { installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import {
  adminPage as openAdminPage,
  ARTIFACTS,
  hasChromium,
  launchBrowser,
  openedModal,
  seriousA11yViolations,
} from "../support/browser";
import { createShop } from "../support/seed";

/**
 * The merchant admin in a real browser against the production build: guided setup,
 * launch, a reward edit, a member adjustment with a reason, and the dashboard, in en and
 * ru, with axe on every page.
 *
 * Inside Shopify admin, App Bridge puts a fresh session token on every request; here the
 * test does the same (signed with the app's secret), so Shopify's authenticate.admin
 * runs unchanged and production has no shortcut to weaken.
 */
let app: TestApp;
let browser: Browser;
let shop: { id: string; domain: string };
let memberId: string;

beforeAll(async () => {
  if (!hasChromium) return;
  app = await startTestApp();
  shop = await createShop(app.db.prisma, { live: false });
  await app.db.prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "USD", "en"));
  await installShop(app.db.prisma, shop.domain);
  for (let i = 0; i < 12; i += 1) {
    const m = await app.db.prisma.member.create({
      data: {
        shopId: shop.id,
        customerId: BigInt(500 + i),
        email: `shopper${i}@example.com`,
        firstName: `Shopper ${i}`,
        referralCode: randomUUID().slice(0, 8),
        balance: 100 * i,
        lastOrderAt: new Date(Date.now() - i * 86_400_000),
        orderCount: 1 + (i % 3),
      },
    });
    if (i === 3) memberId = m.id;
    if (i > 0) {
      await app.db.prisma.ledgerEntry.create({
        data: {
          shopId: shop.id,
          memberId: m.id,
          points: 100 * i,
          kind: "EARN",
          source: "ORDER",
          reason: "order",
          idempotencyKey: `seed:${i}`,
        },
      });
    }
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const adminPage = (locale = "en-US") => openAdminPage(browser, app.server.url, shop.domain, { locale });

async function expectAccessible(page: Page, name: string, exclude: string[] = []) {
  expect(await seriousA11yViolations(page, exclude), name).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/admin-${name}.png`, fullPage: true });
}

describe.skipIf(!hasChromium)("merchant admin in a browser", () => {
  it("sets up and launches, edits a reward, adjusts a member and sees the dashboard", async () => {
    const page = await adminPage();
    await page.goto(`${app.server.url}/app`);
    await page.waitForURL(/\/app\/setup/);
    await page.getByRole("heading", { name: "Set up your loyalty program" }).waitFor();
    await expectAccessible(page, "setup-en");

    await page.getByRole("button", { name: "Launch program" }).click();
    await page.waitForURL(/\/app\?launched=1/);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).programStatus).toBe("LIVE");

    // A reward, from the list to its own page: change its cost and save; the field errors
    // path is covered by the loader tests.
    await page.goto(`${app.server.url}/app/rewards`);
    await expectAccessible(page, "rewards-en");
    // The row, as a merchant clicks it (Polaris puts the link under the row's content).
    await page.getByText("$5 off", { exact: true }).click();
    await page.waitForURL(/\/app\/rewards\/[0-9a-f-]{36}$/);
    const rewardId = page.url().split("/").pop()!;
    await page.getByLabel("Points cost").fill("450");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved").first().waitFor();
    await expect
      .poll(async () => (await app.db.prisma.reward.findUniqueOrThrow({ where: { id: rewardId } })).pointsCost, {
        timeout: 10_000,
      })
      .toBe(450);
    await expectAccessible(page, "reward-en");
    for (const [path, name] of [
      ["/app/program", "program-en"],
      ["/app/tiers", "tiers-en"],
      ["/app/campaigns", "campaigns-en"],
    ] as const) {
      await page.goto(`${app.server.url}${path}`);
      await page.locator("h1").first().waitFor();
      await expectAccessible(page, name);
    }

    // Members list → member page → an adjustment with a reason, audited with the staff id.
    await page.goto(`${app.server.url}/app/members?sort=balance`);
    await page.getByRole("link", { name: /Shopper 11/ }).waitFor();
    await expectAccessible(page, "members-en");
    await page.goto(`${app.server.url}/app/members/${memberId}`);
    await page.getByLabel("Points to add or remove").fill("250");
    await page.getByLabel("Reason (required, kept in the log)").first().fill("Late delivery, sorry");
    await page.getByRole("button", { name: "Adjust", exact: true }).click();
    await expect
      .poll(
        async () =>
          app.db.prisma.ledgerEntry.findFirst({
            where: { memberId, kind: "ADJUST" },
            select: { points: true, reason: true, actor: true },
          }),
        { timeout: 10_000 },
      )
      .toEqual({ points: 250, reason: "Late delivery, sorry", actor: "staff:42" });
    await page.getByText("+250").first().waitFor();
    await expectAccessible(page, "member-en");

    // The dashboard, refreshed to include the adjustment, with its charts drawn.
    await page.goto(`${app.server.url}/app?days=7`);
    await page.getByRole("button", { name: "Refresh now" }).click();
    await page.waitForLoadState("networkidle");
    const issued = page
      .locator("div")
      .filter({ has: page.getByRole("heading", { name: "Issued", exact: true }) })
      .last();
    await expect.poll(async () => issued.innerText(), { timeout: 10_000 }).toContain("6,850");
    await page.locator("svg").first().waitFor();
    await expectAccessible(page, "dashboard-en");
    await page.close();
  }, 120_000);

  it("follows the admin's language: the dashboard and members in Russian", async () => {
    const page = await adminPage("ru-RU");
    await page.goto(`${app.server.url}/app?locale=ru`);
    await page.getByRole("heading", { name: "Сводка", level: 1 }).waitFor();
    await expectAccessible(page, "dashboard-ru");
    await page.goto(`${app.server.url}/app/members`);
    await page.getByRole("heading", { name: "Участники", level: 1 }).waitFor();
    await page.getByRole("link", { name: /Shopper 11/ }).waitFor();
    await page.getByText("Баланс").first().waitFor({ state: "attached" });
    await expectAccessible(page, "members-ru");
    await page.close();
  }, 60_000);

  it("brands the storefront widget with a preview the theme extension draws, following the form as the merchant types", async () => {
    const page = await adminPage();
    await page.goto(`${app.server.url}/app/branding`);
    await page.getByRole("heading", { name: "Branding", level: 1 }).waitFor();
    const frame = page.frameLocator('iframe[title="Preview of the rewards launcher and panel"]');
    const launcher = frame.locator("#comeback-launcher-button");
    const head = frame.locator(".cb-panel .cb-head");
    const css = (locator: typeof launcher, property: string) =>
      locator.evaluate((node, name) => getComputedStyle(node).getPropertyValue(name), property);
    // The saved look first: the default green, the star, the built-in text.
    await expect.poll(() => css(launcher, "background-color"), { timeout: 10_000 }).toBe("rgb(31, 95, 74)");
    expect(await launcher.locator("svg").getAttribute("data-icon")).toBe("star");
    expect(await launcher.innerText()).toBe("Rewards");

    // Typing a colour repaints the launcher; the header has its own colours and image.
    await page.getByLabel("Button colour", { exact: true }).fill("#aa0000");
    await expect.poll(() => css(launcher, "background-color")).toBe("rgb(170, 0, 0)");
    // The header wears the launcher's colour until it is given its own.
    expect(await css(head, "background-color")).toBe("rgb(170, 0, 0)");
    await page.getByLabel("Header colour", { exact: true }).fill("#222222");
    await expect.poll(() => css(head, "background-color")).toBe("rgb(34, 34, 34)");
    expect(await css(launcher, "background-color")).toBe("rgb(170, 0, 0)");
    await page.getByLabel("Header image (optional)").fill("https://cdn.example.com/header.jpg");
    await expect.poll(() => css(head, "background-image")).toBe('url("https://cdn.example.com/header.jpg")');
    // The radio, as a merchant picks it (Polaris draws its own circle over the input).
    await page.getByText("Heart", { exact: true }).click();
    await expect.poll(() => launcher.locator("svg").getAttribute("data-icon")).toBe("heart");
    await page.getByLabel("Text for guests (English)").fill("Club");
    await expect.poll(() => launcher.innerText()).toBe("Club");
    await page.getByLabel("Position").selectOption("left");
    await expect.poll(() => launcher.evaluate((node) => node.getBoundingClientRect().left)).toBeLessThan(40);
    // Dark text on a dark header: warned, not refused.
    await page.getByLabel("Header text colour", { exact: true }).fill("#333333");
    await page.getByText(/These colours contrast 1\.\d:1/).waitFor();
    await expectAccessible(page, "branding-preview-en");

    // The preview speaks the storefront's other language on demand.
    await page.getByRole("button", { name: "Русский" }).click();
    await expect.poll(() => frame.locator("#cb-title").innerText()).toBe("Бонусы");
    await expect.poll(() => launcher.innerText()).toBe("Бонусы");

    // Mistakes are all listed and nothing is saved; then a good save reaches the settings.
    const before = (await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).widget;
    await page.getByLabel("Header image (optional)").fill("http://cdn.example.com/header.jpg");
    await page.getByLabel("Button text colour", { exact: true }).fill("white");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Enter an image link starting with https://").first().waitFor();
    await page.getByText("Enter a colour such as #1f5199").first().waitFor();
    expect((await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).widget).toEqual(before);
    await page.getByLabel("Header image (optional)").fill("https://cdn.example.com/header.jpg");
    await page.getByLabel("Button text colour", { exact: true }).fill("#ffffff");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved").first().waitFor();
    await expect
      .poll(async () => (await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).widget)
      .toMatchObject({
        accent: "#aa0000",
        position: "left",
        icon: "heart",
        label: { en: "Club" },
        header: { background: "#222222", text: "#333333", image: "https://cdn.example.com/header.jpg" },
      });
    await page.close();
  }, 90_000);

  it("imports members from a Rivo file: upload, report by line, dry run, the import with its progress, the balance on the member", async () => {
    // Rivo's "Import Loyalty Data" columns (help.rivo.io 6671188): 12 known members, 28
    // new customers, one row with a broken email.
    const lines = [
      "Email,Points Balance,Birthdate,VIP Tier,Activation Date,Credits Balance",
      ...Array.from(
        { length: 12 },
        (_, i) => `shopper${i}@example.com,${1000 + i},1990-01-${String(i + 1).padStart(2, "0")},,2025-01-01,0`,
      ),
      ...Array.from({ length: 28 }, (_, i) => `new${i}@example.com,${50 + i},,,2025-01-01,0`),
      "not-an-email,10,,,2025-01-01,0",
    ];
    const page = await adminPage();
    await page.goto(`${app.server.url}/app/imports`);
    await page.getByRole("heading", { name: "Import and export", level: 1 }).waitFor();
    await expectAccessible(page, "imports-en");
    // Polaris' drop zone reads the file once the page is interactive.
    await expect
      .poll(async () => {
        await page.locator("input[type=file]").setInputFiles({
          name: "rivo-export.csv",
          mimeType: "text/csv",
          buffer: Buffer.from(lines.join("\n")),
        });
        return page.getByRole("button", { name: "Upload and check" }).isEnabled();
      })
      .toBe(true);
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/\/app\/imports\/[0-9a-f-]{36}$/);
    const id = page.url().split("/").at(-1)!;
    await page.getByText("Rivo file · utf-8 · 41 rows").waitFor();
    await page.getByText("Rows: 41 · can be imported: 40 · with problems, left out: 1").waitFor();
    // The broken row, by its line in the file (the header is line 1).
    await page.getByRole("row", { name: /^42 Not an email address not-an-email/ }).waitFor();
    await page.getByText("Members updated: 12").waitFor();
    await page.getByText("New members: 28").waitFor();
    await page
      .getByText(`Points added to balances: ${(12 * 1000 + 66 + 28 * 50 + 378).toLocaleString("en")}`)
      .waitFor();
    await expectAccessible(page, "import-report-en");

    const before = (await app.db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 503n } }))
      .balance;
    await page.getByRole("button", { name: "Import 40 rows" }).click();
    // Running: the progress bar and its count, refreshed as the job moves on.
    await page.getByText("0 of 40 rows imported…").waitFor();
    expect(await page.getByRole("progressbar").count()).toBe(1);
    const context = (await loadShopContext(app.db.prisma, { id: shop.id }))!;
    const known = new Map(Array.from({ length: 28 }, (_, i) => [`new${i}@example.com`, BigInt(900_000 + i)]));
    await runImport(app.db.prisma, context, id, {
      byEmail: async (emails) => new Map(emails.flatMap((e) => (known.has(e) ? [[e, known.get(e)!] as const] : []))),
      create: async () => null,
    });
    await page.getByText("Members added: 28").waitFor({ timeout: 10_000 });
    await page.getByText("Members updated: 12").waitFor();
    await expectAccessible(page, "import-done-en");

    // The member's page shows the carried-over balance: what they had, plus 1,003 imported.
    await page.goto(`${app.server.url}/app/members?q=shopper3@example.com`);
    await page.getByRole("link", { name: /Shopper 3/ }).click();
    await page
      .getByText((before + 1003).toLocaleString("en"))
      .first()
      .waitFor();
    await page.close();

    const ru = await adminPage("ru-RU");
    await ru.goto(`${app.server.url}/app/imports/${id}?locale=ru`);
    await ru.getByText("Добавлено участников: 28").waitFor();
    await expectAccessible(ru, "import-done-ru");
    await ru.close();
  }, 120_000);

  it("counts the members, searches them as the merchant types, shows the join date, and the member page says what its figures mean", async () => {
    const page = await adminPage();
    await page.goto(`${app.server.url}/app/members`);
    await page.getByRole("columnheader", { name: "Joined" }).waitFor();
    // Without a search the list says how many members there are.
    await page
      .getByText(
        `${await app.db.prisma.member.count({ where: { shopId: shop.id, status: { not: "REDACTED" } } })} members`,
        { exact: true },
      )
      .waitFor();
    await page.getByRole("button", { name: "Search and filter results" }).click();
    const search = page.getByPlaceholder("Search by email, name or customer ID");
    await search.fill("shopper1");
    // No Enter: the pause applies it.
    await page.waitForURL(/[?&]q=shopper1(&|$)/);
    await expect
      .poll(async () => page.getByRole("link", { name: /Shopper \d+/ }).allInnerTexts())
      .toEqual([
        "Shopper 11 · shopper11@example.com",
        "Shopper 10 · shopper10@example.com",
        "Shopper 1 · shopper1@example.com",
      ]);
    // Enter (or the pause) applies a new search; the list follows.
    await search.fill("shopper11@");
    await search.press("Enter");
    await page.waitForURL(/[?&]q=shopper11%40(&|$)/, { timeout: 2000 });
    await expect.poll(async () => page.getByRole("link", { name: /Shopper \d+/ }).count()).toBe(1);
    // The member's page: when they joined, what each figure means, and the customer in Shopify.
    await page.getByRole("link", { name: /Shopper 11/ }).click();
    await page.getByText(/shopper11@example\.com · joined /).waitFor();
    await page.getByText("Every point ever earned, spent ones included").waitFor();
    expect(await page.getByRole("link", { name: "Open customer in Shopify" }).getAttribute("href")).toBe(
      "shopify://admin/customers/511",
    );
    await page.close();
  }, 60_000);

  it("picks members on the list and adjusts their points in one go, with the job's progress, in English and Russian", async () => {
    const page = await adminPage();
    await page.goto(`${app.server.url}/app/members?q=shopper`);
    const picked = ["Shopper 4", "Shopper 6"];
    const before = await app.db.prisma.member.findMany({
      where: { shopId: shop.id, firstName: { in: picked } },
      select: { id: true, balance: true },
    });
    for (const name of picked)
      await page
        .getByRole("row", { name: new RegExp(`${name} ·`) })
        .getByRole("checkbox")
        .check({ force: true });
    await page.getByRole("button", { name: "Adjust points" }).click();
    const dialog = await openedModal(page);
    await dialog.getByText("This applies to the 2 members you selected.").waitFor();
    // Every error at once, and nothing starts.
    await dialog.getByRole("button", { name: "Adjust points" }).click();
    await dialog.getByText("Say why (at least 3 characters)").waitFor();
    await dialog.getByText("Enter a whole number").waitFor();
    expect(await app.db.prisma.jobProgress.count({ where: { shopId: shop.id, kind: "members.bulk" } })).toBe(0);
    await dialog.getByLabel("Points").fill("25");
    await dialog.getByLabel("Reason").fill("Sorry for the late parcels");
    // Polaris marks its half-checked "select all" box aria-checked="mixed" on a native
    // checkbox (axe: aria-conditional-attr); screen readers announce it as partly checked.
    await expectAccessible(page, "members-bulk-en", [".Polaris-Checkbox__Input--indeterminate"]);
    await dialog.getByRole("button", { name: "Adjust points" }).click();
    // The job's banner, with a progress bar while it runs.
    await page.getByText("Adjust points: in progress").waitFor();
    const progress = await app.db.prisma.jobProgress.findFirstOrThrow({
      where: { shopId: shop.id, kind: "members.bulk" },
    });
    await runBulkAction(app.db.prisma, progress.id);
    await page.getByText("Adjust points: done, 2 members changed.").waitFor({ timeout: 10_000 });
    const after = await app.db.prisma.member.findMany({
      where: { id: { in: before.map((m) => m.id) } },
      select: { id: true, balance: true },
    });
    for (const m of before) expect(after.find((a) => a.id === m.id)!.balance).toBe(m.balance + 25);
    await page.close();

    const ru = await adminPage("ru-RU");
    await ru.goto(`${app.server.url}/app/members?locale=ru`);
    await ru.getByText("Изменить баллы: готово, изменены 2 участника.").waitFor();
    await expectAccessible(ru, "members-bulk-done-ru");
    await ru.close();
  }, 60_000);
});
