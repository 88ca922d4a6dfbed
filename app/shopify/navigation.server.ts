import type { Db } from "../platform/database/db";
import { logger } from "../platform/logger.server";
import { recordMenuLink } from "../services/admin/landing";
import type { ShopContext } from "../services/shop-context";
import type { AdminGraphql } from "./admin-api.server";
import { isAccessDenied } from "./admin-errors";
import type { ComebackStoreMenusQuery } from "../types/admin.generated";
import type { MenuItemUpdateInput } from "../types/admin.types";

/**
 * A link to the loyalty page in the store's own menus (Online Store → Navigation), which
 * the merchant can add from the Loyalty page or the setup. Needs
 * `write_online_store_navigation` (reading needs `read_online_store_navigation`, which it
 * includes).
 *
 * `menuUpdate` replaces a menu's whole tree: every existing item is sent back with its
 * id (Shopify keeps an item only if its id is in the list), up to the three levels a
 * menu can have, and the new link is added last at the top level.
 */

export const LANDING_PATH = "/apps/comeback";

export const STORE_MENUS = `#graphql
  query ComebackStoreMenus {
    menus(first: 25) {
      nodes {
        id
        handle
        title
        isDefault
        items {
          id title type url resourceId tags
          items {
            id title type url resourceId tags
            items {
              id title type url resourceId tags
            }
          }
        }
      }
    }
  }
`;

export const MENU_UPDATE = `#graphql
  mutation ComebackMenuUpdate($id: ID!, $title: String!, $items: [MenuItemUpdateInput!]!) {
    menuUpdate(id: $id, title: $title, items: $items) {
      menu {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

type Menu = ComebackStoreMenusQuery["menus"]["nodes"][number];
interface Item {
  id: string;
  title: string;
  type: MenuItemUpdateInput["type"];
  url?: string | null;
  resourceId?: string | null;
  tags: string[];
  items?: Item[];
}

export interface StoreMenu {
  id: string;
  handle: string;
  title: string;
  /** A link to the loyalty page is in this menu, at any level. */
  linked: boolean;
}

export class MenuLinkError extends Error {
  override name = "MenuLinkError";
}

/** A link to the page, as Shopify stores it: a path on the shop, or the full address. */
function pointsToLanding(url: string | null | undefined): boolean {
  if (!url) return false;
  const path = url
    .replace(/^https?:\/\/[^/]+/i, "")
    .split(/[?#]/)[0]!
    .replace(/\/$/, "");
  return path === LANDING_PATH;
}

function anyLinked(items: Item[]): boolean {
  return items.some((item) => pointsToLanding(item.url) || anyLinked(item.items ?? []));
}

function asInput(item: Item): MenuItemUpdateInput {
  return {
    id: item.id,
    title: item.title,
    type: item.type,
    url: item.url ?? null,
    resourceId: item.resourceId ?? null,
    tags: item.tags,
    items: (item.items ?? []).map(asInput),
  };
}

async function readMenus(admin: AdminGraphql): Promise<Menu[]> {
  const data = await admin.request(STORE_MENUS);
  return data.menus.nodes;
}

/** The store's menus, main menu first, each saying whether it already links the page. */
export async function storeMenus(admin: AdminGraphql): Promise<StoreMenu[]> {
  const menus = await readMenus(admin);
  return menus
    .map((menu) => ({
      id: menu.id,
      handle: menu.handle,
      title: menu.title,
      linked: anyLinked(menu.items as Item[]),
    }))
    .sort((a, b) => Number(b.handle === "main-menu") - Number(a.handle === "main-menu"));
}

/**
 * Adds the link at the end of a menu's top level. Adding it twice changes nothing: a
 * menu that already links the page (a second click, another instance) is left as it is.
 */
export async function linkLandingPage(
  admin: AdminGraphql,
  /** null: the main menu (or the store's first, if it has none by that handle). */
  menuId: string | null,
  title: string,
): Promise<{ added: boolean; menu: string }> {
  const menus = await readMenus(admin);
  const menu =
    menuId === null ? (menus.find((m) => m.handle === "main-menu") ?? menus[0]) : menus.find((m) => m.id === menuId);
  if (!menu) throw new MenuLinkError("menu not found");
  const items = menu.items as Item[];
  if (anyLinked(items)) return { added: false, menu: menu.title };
  const result = await admin.request(MENU_UPDATE, {
    id: menu.id,
    title: menu.title,
    items: [...items.map(asInput), { title, type: "HTTP", url: LANDING_PATH, tags: [], items: [] }],
  });
  const problem = result.menuUpdate?.userErrors[0];
  if (problem) throw new MenuLinkError(problem.message);
  return { added: true, menu: menu.title };
}

export type MenusState =
  | { state: "ok"; menus: StoreMenu[] }
  /** scope: the store has not granted the navigation scope yet; unavailable: Shopify did not answer. */
  | { state: "scope" | "unavailable" };

/** The store's menus for a page: never an error, but why they cannot be shown. */
export async function readStoreMenus(admin: () => Promise<AdminGraphql | null>): Promise<MenusState> {
  try {
    const client = await admin();
    if (!client) return { state: "unavailable" };
    return { state: "ok", menus: await storeMenus(client) };
  } catch (error) {
    if (isAccessDenied(error)) return { state: "scope" };
    logger.warn({ err: error }, "could not read the store's menus");
    return { state: "unavailable" };
  }
}

export type MenuLinkOutcome =
  | { outcome: "added" | "linked"; menu: string }
  /** refused: Shopify's userError (its message in `detail`); scope: not granted; unavailable: no answer. */
  | { outcome: "refused" | "scope" | "unavailable"; detail?: string };

/**
 * What the Loyalty page and the setup do: add the link (once) and log who added it, with
 * every failure told apart rather than thrown.
 */
export async function addLandingLink(
  db: Db,
  shop: ShopContext,
  actor: string,
  admin: () => Promise<AdminGraphql | null>,
  menuId: string | null,
  title: string,
): Promise<MenuLinkOutcome> {
  try {
    const client = await admin();
    if (!client) return { outcome: "unavailable" };
    const linked = await linkLandingPage(client, menuId, title);
    if (!linked.added) return { outcome: "linked", menu: linked.menu };
    await recordMenuLink(db, shop, actor, linked.menu, title);
    return { outcome: "added", menu: linked.menu };
  } catch (error) {
    if (error instanceof MenuLinkError) return { outcome: "refused", detail: error.message };
    if (isAccessDenied(error)) return { outcome: "scope" };
    logger.warn({ err: error }, "could not add the loyalty page to a menu");
    return { outcome: "unavailable" };
  }
}
