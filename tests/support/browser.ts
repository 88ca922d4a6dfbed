import { existsSync, mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { mintSessionToken } from "../../scripts/shopify-standin/session-token";
import { BROWSER_UA } from "./admin";
import { TEST_SECRET } from "./shopify";

/** Debian's Chromium; `.ci/run` installs it. Tests that need it are skipped without it. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = "test-artifacts";

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // The machine has no network: without these, Chromium keeps trying Google's services.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A page with a desktop browser's user agent: Shopify's library turns headless bots away. */
export async function newPage(browser: Browser, locale = "en-US"): Promise<Page> {
  const context = await browser.newContext({
    userAgent: BROWSER_UA,
    locale,
    viewport: { width: 1280, height: 900 },
    reducedMotion: "reduce",
  });
  return context.newPage();
}

/** axe's serious and critical findings on the page as it is now, as readable lines. */
export async function seriousA11yViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}

/**
 * A page of the embedded admin as a staff member sees it. Inside Shopify admin, App
 * Bridge puts a fresh session token on every request; here the page does the same
 * (signed with the app's secret), so Shopify's authenticate.admin runs unchanged.
 */
export async function adminPage(
  browser: Browser,
  appUrl: string,
  shop: string,
  options: { locale?: string; staff?: string } = {},
): Promise<Page> {
  const page = await newPage(browser, options.locale ?? "en-US");
  await page.route(`${appUrl}/**`, (route) =>
    route.continue({
      headers: {
        ...route.request().headers(),
        authorization: `Bearer ${mintSessionToken({ shop, apiKey: "test-api-key", secret: TEST_SECRET, sub: options.staff ?? "42" })}`,
      },
    }),
  );
  return page;
}

/**
 * The Polaris modal that just opened, once it has finished fading up. A click during its
 * 200 ms entrance aims where the button was a frame earlier; on a busy machine that can be the
 * backdrop, which closes the modal.
 */
export async function openedModal(page: Page): Promise<Locator> {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await page.waitForFunction(() => !document.querySelector(".Polaris-Modal-Dialog--animateFadeUp"));
  return dialog;
}
