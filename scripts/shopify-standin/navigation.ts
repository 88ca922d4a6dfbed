/**
 * The stand-in store's navigation menus, as the Admin API's `menus` query returns them
 * and `menuUpdate` changes them.
 *
 * Shapes: shopify.dev admin-graphql 2026-10, objects/Menu { id handle title isDefault
 * items } and objects/MenuItem { id title type url resourceId tags items }; the
 * mutations/menuUpdate example ("Update a menu": every item sent back with its id and
 * nested items, urls such as "/collections/furniture"); payloads/MenuUpdatePayload
 * { menu, userErrors [MenuUpdateUserError { field message code }] } with the codes of
 * MenuUpdateUserErrorCode (NOT_FOUND, NESTING_TOO_DEEP). The menus are what a new
 * Shopify store starts with: "Main menu" (Home, Catalog, Contact) and "Footer menu"
 * (Search).
 */

export interface StandinMenuItem {
  id: string;
  title: string;
  type: string;
  url: string | null;
  resourceId: string | null;
  tags: string[];
  items: StandinMenuItem[];
}

export interface StandinMenu {
  id: string;
  handle: string;
  title: string;
  isDefault: boolean;
  items: StandinMenuItem[];
}

const item = (id: number, title: string, type: string, url: string, resourceId: string | null = null) => ({
  id: `gid://shopify/MenuItem/${id}`,
  title,
  type,
  url,
  resourceId,
  tags: [],
  items: [],
});

export function defaultMenus(): StandinMenu[] {
  return [
    {
      id: "gid://shopify/Menu/199655587896",
      handle: "main-menu",
      title: "Main menu",
      isDefault: true,
      items: [
        item(461609500728, "Home", "FRONTPAGE", "/"),
        item(461609533496, "Catalog", "CATALOG", "/collections/all"),
        item(461609566264, "Contact", "PAGE", "/pages/contact", "gid://shopify/Page/108828917816"),
      ],
    },
    {
      id: "gid://shopify/Menu/199655620664",
      handle: "footer",
      title: "Footer menu",
      isDefault: true,
      items: [item(461609599032, "Search", "SEARCH", "/search")],
    },
  ];
}

const MAX_DEPTH = 3;
const TYPES = new Set([
  "ARTICLE",
  "BLOG",
  "CATALOG",
  "COLLECTION",
  "COLLECTIONS",
  "CUSTOMER_ACCOUNT_PAGE",
  "FRONTPAGE",
  "HTTP",
  "METAOBJECT",
  "PAGE",
  "PRODUCT",
  "SEARCH",
  "SHOP_POLICY",
]);

type UserError = { field: string[]; message: string; code: string | null };

/**
 * menuUpdate: the menu's items become exactly the list sent. An item sent with an id
 * keeps it (it must be one of this menu's), one without gets a new id, and an item left
 * out is deleted, as Shopify does.
 */
export function updateMenu(
  menus: StandinMenu[],
  input: { id: string; title: string; handle?: string; items: unknown },
  nextId: () => number,
): { menu: StandinMenu | null; userErrors: UserError[] } {
  const menu = menus.find((m) => m.id === input.id);
  if (!menu) return { menu: null, userErrors: [{ field: ["id"], message: "Menu does not exist", code: "NOT_FOUND" }] };
  if (!input.title.trim())
    return { menu: null, userErrors: [{ field: ["title"], message: "Title can't be blank", code: null }] };
  if (menu.isDefault && input.handle !== undefined && input.handle !== menu.handle)
    return { menu: null, userErrors: [{ field: ["handle"], message: "Handle can't be changed", code: null }] };
  const known = new Set<string>();
  const collect = (items: StandinMenuItem[]) =>
    items.forEach((i) => {
      known.add(i.id);
      collect(i.items);
    });
  collect(menu.items);
  const errors: UserError[] = [];
  const build = (raw: unknown, depth: number, path: string[]): StandinMenuItem[] => {
    if (!Array.isArray(raw)) return [];
    if (raw.length && depth > MAX_DEPTH) {
      errors.push({ field: path, message: "Menu items can be nested at most 3 levels deep", code: "NESTING_TOO_DEEP" });
      return [];
    }
    return raw.map((value, index) => {
      const entry = (value ?? {}) as Record<string, unknown>;
      const at = [...path, String(index)];
      const id = typeof entry.id === "string" ? entry.id : null;
      if (id && !known.has(id))
        errors.push({ field: [...at, "id"], message: "Menu item does not exist", code: "NOT_FOUND" });
      const title = typeof entry.title === "string" ? entry.title.trim() : "";
      if (!title) errors.push({ field: [...at, "title"], message: "Title can't be blank", code: null });
      const type = String(entry.type ?? "");
      if (!TYPES.has(type)) errors.push({ field: [...at, "type"], message: "Type is invalid", code: null });
      const url = typeof entry.url === "string" && entry.url ? entry.url : null;
      if (type === "HTTP" && !url) errors.push({ field: [...at, "url"], message: "Link can't be blank", code: null });
      return {
        id: id ?? `gid://shopify/MenuItem/${nextId()}`,
        title,
        type,
        url,
        resourceId: typeof entry.resourceId === "string" ? entry.resourceId : null,
        tags: Array.isArray(entry.tags) ? entry.tags.map(String) : [],
        items: build(entry.items, depth + 1, [...at, "items"]),
      };
    });
  };
  const items = build(input.items, 1, ["items"]);
  if (errors.length) return { menu: null, userErrors: errors };
  menu.title = input.title.trim();
  menu.items = items;
  return { menu, userErrors: [] };
}
