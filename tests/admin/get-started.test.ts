import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import type { StepId, StepState } from "../../app/domain/get-started";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { themeSettingsData } from "../../scripts/shopify-standin/theme";
import { adminClient } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createStandinShop } from "../support/seed";
import { proxyUrl } from "../support/shopify";
import { startSmtpSink, type SmtpSink } from "../support/smtp";

/**
 * The home page's "Get started" checklist through the production build: each step is
 * ticked from the shop's real state (the live theme read from the Admin API stand-in,
 * the program's status, members, redemptions, what the merchant did with the emails),
 * never from a flag, and a theme Shopify will not show us leaves the page answering.
 *
 * The stand-in serves every shop of this file, so each test sets the theme it needs; the
 * app remembers an embed seen on for a while, so each test uses its own shop.
 */

let standin: AdminStandin;
let smtp: SmtpSink;
let app: TestApp;

interface Home {
  getStarted: {
    steps: Array<{ id: StepId; state: StepState }>;
    done: number;
    total: number;
    complete: boolean;
    embedReason: "scope" | "unavailable" | null;
    embedLink: string;
  };
}

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  smtp = await startSmtpSink();
  app = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: "rewards@comeback.test" });
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
  await smtp?.close();
});

/** A shop past the guided setup, its Admin API the stand-in. */
async function newShop(status: "DRAFT" | "LIVE" = "DRAFT") {
  const shop = await createStandinShop(app.db.prisma, (domain) => standin.endpoint(domain));
  await app.db.prisma.shop.update({ where: { id: shop.id }, data: { setupCompleted: true, programStatus: status } });
  // What authenticate.admin checks: the offline session holds the app's scopes.
  await app.db.prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { scope: DEFAULT_SCOPES.join(",") },
  });
  const admin = adminClient(app.server.url, shop.domain);
  const home = async () => {
    const page = await admin.load<Home>("/app", "routes/app._index");
    expect(page.status).toBe(200);
    return page.data.getStarted;
  };
  return { shop, admin, home };
}

const stateOf = (list: Home["getStarted"], id: StepId) => list.steps.find((step) => step.id === id)!.state;

describe("Get started on the home page", () => {
  it("ticks the launcher only while the live theme has our app embed on", async () => {
    const { home } = await newShop();
    standin.theme.settingsData = themeSettingsData("absent");
    const fresh = await home();
    expect(stateOf(fresh, "embed")).toBe("todo");
    // The button opens the theme editor with the embed switched on.
    expect(fresh.embedLink).toContain("activateAppId=test-api-key%2Fcomeback-launcher");
    standin.theme.settingsData = themeSettingsData("disabled");
    expect(stateOf(await home(), "embed")).toBe("todo");
    standin.theme.settingsData = themeSettingsData("enabled");
    const on = await home();
    expect(stateOf(on, "embed")).toBe("done");
    expect(on.embedReason).toBeNull();
  });

  it("says it couldn't check the launcher, and why, when the store has not granted read_themes", async () => {
    const { home } = await newShop("LIVE");
    standin.theme.settingsData = themeSettingsData("enabled");
    standin.deniedScopes.add("read_themes");
    try {
      const list = await home();
      expect(stateOf(list, "embed")).toBe("unknown");
      expect(list.embedReason).toBe("scope");
      // The rest of the page is there, and the other steps still read the shop.
      expect(stateOf(list, "launch")).toBe("done");
      expect(list.done).toBe(1);
    } finally {
      standin.deniedScopes.clear();
    }
  });

  it("answers within the check's time limit when Shopify does not answer at all", async () => {
    const { home } = await newShop();
    standin.theme.settingsData = themeSettingsData("enabled");
    standin.failNext("hang");
    const started = Date.now();
    const list = await home();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stateOf(list, "embed")).toBe("unknown");
    expect(list.embedReason).toBe("unavailable");
  });

  it("ticks the launch once the program goes live from the setup", async () => {
    const { admin, home } = await newShop("DRAFT");
    expect(stateOf(await home(), "launch")).toBe("todo");
    const launched = await admin.act("/app/setup", { earnPoints: "1", earnSpend: "1", expiryInactivityDays: "365" });
    expect(launched.redirect).toBe("/app?launched=1");
    expect(stateOf(await home(), "launch")).toBe("done");
  });

  it("ticks the first member when the shop has one, not when another shop does", async () => {
    const { shop, home } = await newShop();
    const other = await newShop();
    await app.db.prisma.member.create({ data: { shopId: other.shop.id, customerId: 71n, referralCode: "GS-OTHER" } });
    expect(stateOf(await home(), "member")).toBe("todo");
    await app.db.prisma.member.create({ data: { shopId: shop.id, customerId: 72n, referralCode: "GS-FIRST" } });
    expect(stateOf(await home(), "member")).toBe("done");
  });

  it("ticks the first redemption once a member redeems a reward from the storefront", async () => {
    const { shop, home } = await newShop("LIVE");
    const reward = await app.db.prisma.reward.findFirstOrThrow({ where: { shopId: shop.id, enabled: true } });
    const member = await app.db.prisma.member.create({
      data: { shopId: shop.id, customerId: 73n, referralCode: "GS-REDEEM" },
    });
    // A code Shopify refused (the points went back) is not a redemption yet.
    await app.db.prisma.redemption.create({
      data: {
        shopId: shop.id,
        memberId: member.id,
        rewardId: reward.id,
        rewardSnapshot: {},
        pointsSpent: reward.pointsCost,
        status: "FAILED",
        idempotencyKey: "gs-failed",
      },
    });
    expect(stateOf(await home(), "redemption")).toBe("todo");
    await app.db.prisma.ledgerEntry.create({
      data: {
        shopId: shop.id,
        memberId: member.id,
        points: reward.pointsCost,
        kind: "EARN",
        source: "ADMIN",
        reason: "seed",
        idempotencyKey: "gs-seed",
      },
    });
    await app.db.prisma.member.update({ where: { id: member.id }, data: { balance: reward.pointsCost } });
    const redeemed = await fetch(proxyUrl(app.server.url, "redeem", { shop: shop.domain, customerId: 73 }), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rewardId: reward.id }),
    });
    expect(redeemed.status).toBe(201);
    expect(stateOf(await home(), "redemption")).toBe("done");
  });

  it("ticks the emails once the merchant sends a test, and not for a test that failed", async () => {
    const { admin, home } = await newShop();
    expect(stateOf(await home(), "emails")).toBe("todo");
    const draft = { intent: "test", language: "en", subject: "Welcome, {{ customer.first_name }}", body: "<p>Hi</p>" };
    smtp.reject.add("bounce@comeback.test");
    const failed = await admin.act("/app/messages/WELCOME", { ...draft, to: "bounce@comeback.test" });
    expect(failed.status).toBe(502);
    expect(stateOf(await home(), "emails")).toBe("todo");
    const sent = await admin.act("/app/messages/WELCOME", { ...draft, to: "owner@comeback.test" });
    expect(sent.status).toBe(200);
    expect(smtp.to("owner@comeback.test")).toHaveLength(1);
    expect(stateOf(await home(), "emails")).toBe("done");
  });

  it("ticks the emails once the merchant saves a message's settings", async () => {
    const { admin, home } = await newShop();
    expect(stateOf(await home(), "emails")).toBe("todo");
    expect((await admin.act("/app/messages", { intent: "kind", kind: "WELCOME", enabled: "on" })).status).toBe(200);
    expect(stateOf(await home(), "emails")).toBe("done");
  });

  it("is complete, five of five, when every step is done", async () => {
    const { shop, admin, home } = await newShop("LIVE");
    standin.theme.settingsData = themeSettingsData("enabled");
    const member = await app.db.prisma.member.create({
      data: { shopId: shop.id, customerId: 74n, referralCode: "GS-ALL" },
    });
    await app.db.prisma.redemption.create({
      data: {
        shopId: shop.id,
        memberId: member.id,
        rewardSnapshot: {},
        pointsSpent: 500,
        status: "USED",
        idempotencyKey: "gs-used",
      },
    });
    expect(await home()).toMatchObject({ done: 4, complete: false });
    await admin.act("/app/messages", { intent: "kind", kind: "WELCOME", enabled: "on" });
    expect(await home()).toMatchObject({ done: 5, total: 5, complete: true });
  });
});
