import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAdminClient } from "../../app/shopify/admin-api.server";
import { isAccessDenied } from "../../app/shopify/admin-errors";
import { linkLandingPage, MenuLinkError, storeMenus } from "../../app/shopify/navigation.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { defaultMenus } from "../../scripts/shopify-standin/navigation";

/**
 * The loyalty page in the store's menus, against the Admin API stand-in: Shopify's
 * `menuUpdate` replaces a menu's whole tree, so adding a link must send every item back
 * with its id, nested ones included, or the merchant's menu loses them.
 */
let standin: AdminStandin;
const client = () =>
  createAdminClient({ endpoint: standin.endpoint("nav.myshopify.com"), accessToken: "t", attempts: 1 });

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "t" });
});
afterAll(async () => {
  await standin?.close();
});
beforeEach(() => {
  standin.menus.splice(0, standin.menus.length, ...defaultMenus());
  standin.deniedScopes.clear();
  // A merchant's nested item under Catalog.
  standin.menus[0]!.items[1]!.items = [
    {
      id: "gid://shopify/MenuItem/900",
      title: "Sale",
      type: "COLLECTION",
      url: "/collections/sale",
      resourceId: "gid://shopify/Collection/5",
      tags: [],
      items: [],
    },
  ];
});

describe("the loyalty page in a store menu", () => {
  it("lists the store's menus, the main menu first, none linking the page yet", async () => {
    expect(await storeMenus(client())).toEqual([
      { id: "gid://shopify/Menu/199655587896", handle: "main-menu", title: "Main menu", linked: false },
      { id: "gid://shopify/Menu/199655620664", handle: "footer", title: "Footer menu", linked: false },
    ]);
  });

  it("adds the link last, keeping every item of the menu with its id, and adds it only once", async () => {
    const before = structuredClone(standin.menus[0]!.items);
    expect(await linkLandingPage(client(), standin.menus[0]!.id, "Rewards program")).toEqual({
      added: true,
      menu: "Main menu",
    });
    const after = standin.menus[0]!.items;
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.at(-1)).toMatchObject({ title: "Rewards program", type: "HTTP", url: "/apps/comeback", items: [] });
    expect((await storeMenus(client())).find((m) => m.handle === "main-menu")!.linked).toBe(true);

    const requests = standin.requests.length;
    expect(await linkLandingPage(client(), standin.menus[0]!.id, "Rewards program")).toEqual({
      added: false,
      menu: "Main menu",
    });
    expect(standin.menus[0]!.items).toHaveLength(before.length + 1);
    // Only the read: no second update.
    expect(standin.requests.length).toBe(requests + 1);
  });

  it("takes a link the merchant made by hand, by full address and at any level, as already there", async () => {
    standin.menus[1]!.items[0]!.items = [
      {
        id: "gid://shopify/MenuItem/901",
        title: "Loyalty",
        type: "HTTP",
        url: "https://nav.myshopify.com/apps/comeback/",
        resourceId: null,
        tags: [],
        items: [],
      },
    ];
    expect((await storeMenus(client())).map((m) => m.linked)).toEqual([false, true]);
  });

  it("reports Shopify's refusal as such, and a missing scope as access denied, changing nothing", async () => {
    // Shopify's userError (an item without a title) comes back as the merchant's message.
    await expect(linkLandingPage(client(), standin.menus[0]!.id, " ")).rejects.toThrow(
      new MenuLinkError("Title can't be blank"),
    );
    standin.deniedScopes.add("write_online_store_navigation");
    const refused = await storeMenus(client()).catch((error: unknown) => error);
    expect(isAccessDenied(refused)).toBe(true);
    expect(standin.menus[0]!.items).toHaveLength(3);
  });
});
