import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWidgetSettings } from "../../app/domain/widget";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import { syncShopById } from "../../app/shopify/customer-sync.server";
import { APP_INSTALLATION_ID, startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { renderBlock } from "../../scripts/storefront/render";
import { adminClient } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop, createStandinShop } from "../support/seed";

/**
 * The Branding page through its public entry points: the admin action (with a session
 * token, as App Bridge sends it), the program metafield the Shopify sync then writes to
 * the Admin API stand-in, and the theme extension's Liquid rendering that metafield.
 * What a merchant saves must reach the storefront; what they get wrong is refused whole.
 */
let standin: AdminStandin;
let app: TestApp;
let shop: { id: string; domain: string };
let merchant: ReturnType<typeof adminClient>;

const IMAGE = "https://cdn.shopify.com/s/files/1/0001/files/header.jpg?v=17&w=760";
const GOOD = {
  formId: "branding",
  accent: "#7A1F5C",
  onAccent: "#ffffff",
  position: "left",
  icon: "gift",
  label_en: "Club",
  label_ru: "Клуб",
  headerBackground: "#222222",
  headerText: "#f5f5f5",
  headerImage: IMAGE,
  showRewards: "on",
  showEarn: "on",
  showHistory: "on",
};

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp();
  shop = await createStandinShop(app.db.prisma, (domain) => standin.endpoint(domain));
  // What authenticate.admin checks: the offline session holds the app's scopes.
  await app.db.prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { scope: DEFAULT_SCOPES.join(",") },
  });
  merchant = adminClient(app.server.url, shop.domain, { staff: "7" });
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

const stored = async (shopId = shop.id) =>
  (await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId } })).widget;
const programVersion = async () =>
  (await app.db.prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).programVersion;
const brandingLog = () =>
  app.db.prisma.activityLog.findMany({
    where: { shopId: shop.id, action: "branding.updated" },
    orderBy: { id: "asc" },
  });
const programMetafield = () => {
  const value = standin.metafields.get(`${APP_INSTALLATION_ID}|loyalty|program`)?.value;
  return value ? (JSON.parse(value) as { shop: string; display: unknown }) : null;
};

describe("the Branding page", () => {
  it("refuses bad colours, a long label and a non-https image all at once, and writes nothing", async () => {
    // GIVEN the shop's current look
    const before = await stored();
    const version = await programVersion();
    // WHEN every kind of mistake is posted together
    const bad = await merchant.act("/app/branding", {
      ...GOOD,
      accent: "red",
      onAccent: "#fff",
      headerBackground: "",
      headerText: "#12345g",
      headerImage: "http://cdn.example.com/header.jpg",
      label_en: "x".repeat(41),
      position: "top",
      icon: "rocket",
    });
    // THEN each field has its error in one answer
    expect(bad.status).toBe(422);
    expect((bad.data as { errors: Record<string, string> }).errors).toEqual({
      accent: "validation.color",
      onAccent: "validation.color",
      headerBackground: "validation.color",
      headerText: "validation.color",
      headerImage: "branding.validation.imageUrl",
      label_en: "branding.validation.labelLength",
      position: "validation.invalid",
      icon: "validation.invalid",
    });
    // AND nothing changed: not the settings, not the log, not what Shopify will be sent
    expect(await stored()).toEqual(before);
    expect(await brandingLog()).toEqual([]);
    expect(await programVersion()).toBe(version);
  });

  it.each([
    ["javascript:alert(1)"],
    ["https://localhost/a.jpg"],
    ["https://user:secret@cdn.example.com/a.jpg"],
    ["ftp://cdn.example.com/a.jpg"],
    [`https://cdn.example.com/${"a".repeat(2000)}.jpg`],
  ])("refuses %s as a header image", async (headerImage) => {
    const answer = await merchant.act("/app/branding", { ...GOOD, headerImage });
    expect(answer.status).toBe(422);
    expect((answer.data as { errors: Record<string, string> }).errors).toEqual({
      headerImage: "branding.validation.imageUrl",
    });
    expect(await brandingLog()).toEqual([]);
  });

  it("saves the look, logs who changed what, and the program metafield carries it to the storefront's launcher", async () => {
    // GIVEN Shopify holds the program as it was
    expect(await syncShopById(app.db.prisma, shop.id)).toMatchObject({ program: true });
    expect(programMetafield()!.display).toMatchObject({ icon: "star", position: "right" });
    const other = await createShop(app.db.prisma);

    // WHEN the merchant saves their branding
    const saved = await merchant.act("/app/branding", GOOD);

    // THEN it is stored as the storefront reads it (colours normalised)
    expect(saved.status).toBe(200);
    const widget = {
      accent: "#7a1f5c",
      onAccent: "#ffffff",
      position: "left",
      icon: "gift",
      label: { en: "Club", ru: "Клуб" },
      header: { background: "#222222", text: "#f5f5f5", image: IMAGE },
      sections: { rewards: true, earn: true, referral: false, history: true },
    };
    expect(await stored()).toEqual(widget);
    expect(readWidgetSettings(await stored(other.id))).not.toMatchObject({ icon: "gift" });
    // AND the page shows it back
    const page = await merchant.load<{ widget: unknown }>("/app/branding", "routes/app.branding");
    expect(page.data.widget).toEqual(widget);
    // AND the log names the staff member and each changed field
    const [entry, ...more] = await brandingLog();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: "staff:7" });
    expect(entry!.details).toMatchObject({
      accent: ["#1f5f4a", "#7a1f5c"],
      launcherPosition: ["right", "left"],
      icon: ["star", "gift"],
      headerImage: [null, IMAGE],
      showReferral: [true, false],
    });

    // WHEN the Shopify sync runs
    expect(await syncShopById(app.db.prisma, shop.id)).toMatchObject({ program: true });
    // THEN the program metafield on the app installation carries the new look
    const program = programMetafield()!;
    expect(program.shop).toBe(shop.domain);
    expect(program.display).toEqual(widget);

    // AND the theme extension's launcher, rendered from that metafield, shows it
    for (const [locale, label] of [
      ["en", "Club"],
      ["ru", "Клуб"],
    ] as const) {
      const html = await renderBlock("comeback-launcher", {
        locale,
        shop: { name: "Demo", currency: "USD" },
        program: program as Record<string, unknown>,
        customer: null,
      });
      expect(html).toContain(`<span>${label}</span>`);
      expect(html).toContain("cb-launcher cb-left");
      expect(html).toContain('data-icon="gift"');
      expect(html).toContain(
        "--cb-accent: #7a1f5c; --cb-on-accent: #ffffff; --cb-head-bg: #222222; --cb-head-fg: #f5f5f5;",
      );
      expect(html).toContain(`--cb-head-img: url(&quot;${IMAGE.replace("&", "&amp;")}&quot;)`);
      expect(html).toContain('class="cb-head cb-head-image"');
      expect(html).toMatch(/"sections": \{"rewards": true,"earn": true,"referral": false,"history": true\}/);
    }
  });

  it("saving the same look again changes nothing: no log entry, nothing more to send to Shopify", async () => {
    const version = await programVersion();
    const log = (await brandingLog()).length;
    expect((await merchant.act("/app/branding", GOOD)).status).toBe(200);
    expect(await programVersion()).toBe(version);
    expect((await brandingLog()).length).toBe(log);
  });
});
