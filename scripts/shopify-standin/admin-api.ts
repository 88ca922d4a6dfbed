/**
 * A local stand-in for the Shopify Admin GraphQL API, for the demo and the tests.
 *
 * It implements exactly what the app sends, with Shopify's response shapes:
 * `discountCodeBasicCreate`, `discountCodeFreeShippingCreate`, `storeCreditAccountCredit`,
 * `metafieldsSet`, `metafieldsDelete`, `tagsAdd`, `tagsRemove` (each with `userErrors`,
 * aliases allowed) and the `shop`, `shopLocales`, `currentAppInstallation`, `order`,
 * `products`, `collections`, `collection` and `nodes` queries (over scripts/shopify-standin/catalog.ts),
 * `themes` with the live theme's config/settings_data.json (theme.ts), and `menus` with
 * `menuUpdate` (navigation.ts). Anything else
 * fails loudly with a GraphQL error naming the field. A scope the store has not granted
 * (`deniedScopes`) is refused as Shopify refuses it: ACCESS_DENIED on the field, HTTP 200.
 * It checks the access token (expiring offline tokens
 * included, with the refresh exchange at /admin/oauth/access_token), keeps Shopify's leaky
 * bucket (cost points restored per second; `THROTTLED` with the bucket's state when
 * empty, answered with HTTP 200 as Shopify does), and can be told to fail: HTTP 5xx,
 * a hang past the client's timeout, throttling, or a userError.
 */
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Kind, parse, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode } from "graphql";
import { answerStorefront } from "./storefront-api";
import { BulkOperations, type HistorySpec } from "./bulk";
import { STANDIN_COLLECTIONS, STANDIN_PRODUCTS } from "./catalog";
import { STANDIN_MAIN_THEME, themeSettingsData, type AppEmbedSetting } from "./theme";
import { defaultMenus, updateMenu, type StandinMenu } from "./navigation";

export interface CreatedDiscount {
  id: string;
  mutation: string;
  code: string;
  input: Record<string, unknown>;
}

export type Failure = "http500" | "hang" | "throttle" | "userError";

export interface AdminStandin {
  url: string;
  endpoint(shop: string): string;
  discounts: CreatedDiscount[];
  credits: Array<{ id: string; customer: string; amount: string; currency: string }>;
  /** flowTriggerReceive calls, as Flow would receive them. */
  flowTriggers: Array<{ handle: string; payload: Record<string, unknown> }>;
  requests: Array<{ shop: string; fields: string[]; variables: Record<string, unknown> }>;
  /** Metafields by `ownerId|namespace|key`, as metafieldsSet left them. */
  metafields: Map<string, { type: string; value: string }>;
  /** Customer tags by customer gid. */
  tags: Map<string, Set<string>>;
  /** Customer segments by GID: segmentCreate / segmentUpdate. */
  segments: Map<string, { name: string; query: string }>;
  /** Automatic discounts by GID (discountAutomaticFreeShippingCreate / Update / discountAutomaticDelete). */
  automaticDiscounts: Map<string, Record<string, unknown>>;
  /** Orders the `order(id:)` query answers, by Order GID, in the Admin API's shape. */
  orders: Map<string, StandinOrder>;
  /** The shop's customers by GID: `customers(query: "email:…")` finds them, customerCreate adds one. */
  customers: Map<string, { email: string; firstName: string | null; lastName: string | null }>;
  /** Bulk operations the app ran (bulk.ts), and the order history they read. */
  bulk: BulkOperations;
  /** The shop's order history that bulk queries of orders return. */
  history: HistorySpec | null;
  /** The live theme's config/settings_data.json as `themes { files }` returns it (theme.ts builds one). */
  theme: { settingsData: string };
  /** The store's navigation menus (navigation.ts), as `menus` reads and `menuUpdate` leaves them. */
  menus: StandinMenu[];
  /** Scopes the store has not granted: fields that need one answer ACCESS_DENIED. */
  deniedScopes: Set<string>;
  /** Where the bulk_operations/finish webhook goes (the app's webhook route), signed with `secret`. */
  bulkWebhook: { url: string; secret: string; shop: string } | null;
  /** The next `count` requests fail this way. */
  failNext(failure: Failure, count?: number): void;
  /**
   * An expiring offline token and its refresh token, as Shopify issues them to apps with
   * expiring offline access tokens (what the app stores in its session).
   */
  issueExpiringToken(ttlSeconds?: number): { accessToken: string; refreshToken: string; expiresAt: Date };
  /** Makes an access token expire now: requests with it get 401 from then on. */
  expireToken(accessToken: string): void;
  /** Successful refresh exchanges so far. */
  refreshes: number;
  /** Requests wait (after being recorded) until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

export interface StandinOrder {
  id: string;
  email: string | null;
  createdAt: string;
  customer: { id: string } | null;
  /** The random confirmation number the buyer sees (orderConfirmation.number). */
  confirmationNumber?: string | null;
  currentSubtotalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
  lineItems?: {
    nodes: Array<{
      currentQuantity: number;
      isGiftCard: boolean;
      product: { id: string } | null;
      discountedUnitPriceAfterAllDiscountsSet: { shopMoney: { amount: string; currencyCode: string } };
    }>;
  };
}

const MUTATION_COST = 10;
const QUERY_COST = 1;
export const APP_INSTALLATION_ID = "gid://shopify/AppInstallation/1";
const METAFIELDS_SET_LIMIT = 25;

/** Shopify's search syntax as far as the app uses it: `title:<prefix>*`, or plain words. */
function matchesTitle(title: string, query: unknown): boolean {
  if (typeof query !== "string" || !query.trim()) return true;
  const text = query
    .replace(/^title:/i, "")
    .replace(/\*$/, "")
    .trim()
    .toLowerCase();
  return title.toLowerCase().includes(text);
}

const productGid = (id: number) => `gid://shopify/Product/${id}`;
const productNode = (product: (typeof STANDIN_PRODUCTS)[number]) => ({
  id: productGid(product.id),
  title: product.title,
  variants: {
    nodes: product.variants.map((v) => ({ id: `gid://shopify/ProductVariant/${v.id}`, title: v.title })),
  },
});

/** queries/nodes: each id resolved to its object, or null (Shopify's answer for unknown ids). */
function node(gid: string) {
  const [, type, raw] = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid) ?? [];
  const id = Number(raw);
  if (type === "Product") {
    const product = STANDIN_PRODUCTS.find((p) => p.id === id);
    return product ? { id: gid, title: product.title } : null;
  }
  if (type === "Collection") {
    const collection = STANDIN_COLLECTIONS.find((c) => c.id === id);
    return collection ? { id: gid, title: collection.title } : null;
  }
  if (type === "ProductVariant") {
    const product = STANDIN_PRODUCTS.find((p) => p.variants.some((v) => v.id === id));
    const variant = product?.variants.find((v) => v.id === id);
    return product && variant
      ? {
          id: gid,
          displayName: variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`,
        }
      : null;
  }
  return null;
}

/** A field argument's value, whether written inline or passed as a variable. */
function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const node = field.arguments?.find((a) => a.name.value === name)?.value;
  return node ? valueFromASTUntyped(node, variables) : undefined;
}

/** The field at `path` in a field's selection (e.g. themes → nodes → files), or the field itself if absent. */
function nested(field: FieldNode, path: string[]): FieldNode {
  let current = field;
  for (const name of path) {
    const next = current.selectionSet?.selections.find(
      (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === name,
    );
    if (!next) return current;
    current = next;
  }
  return current;
}

/**
 * Shopify's answer to a field the token has no scope for, with HTTP 200 (shape from
 * Shopify/shopify_app test/shopify_app/managers/script_tags_manager_test.rb, "theme API
 * access fails"): the field is null and the error names the scope.
 */
function accessDenied(field: FieldNode, alias: string, scope: string) {
  const name = field.name.value;
  return {
    errors: [
      {
        message: `Access denied for ${name} field. Required access: \`${scope}\` access scope.`,
        locations: [{ line: field.loc?.startToken.line ?? 1, column: field.loc?.startToken.column ?? 1 }],
        path: [alias],
        extensions: {
          code: "ACCESS_DENIED",
          documentation: "https://shopify.dev/api/usage/access-scopes",
          requiredAccess: `\`${scope}\` access scope.`,
        },
      },
    ],
    data: { [alias]: null },
  };
}

/** Shopify's checks on a metafield value for the types the app writes. */
function invalidValue(type: string, value: string): string | null {
  switch (type) {
    case "number_integer":
      return /^-?\d{1,16}$/.test(value) ? null : "Value must be an integer.";
    case "single_line_text_field":
      return value.length === 0
        ? "Value can't be blank."
        : /[\r\n]/.test(value)
          ? "Value must be a single line text string."
          : null;
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch {
        return "Value is invalid JSON.";
      }
    default:
      return `Type '${type}' is not supported by the stand-in.`;
  }
}

export interface StandinOptions {
  port?: number;
  /** A non-expiring offline token the stand-in accepts from the start. */
  accessToken?: string;
  /** The app's credentials, checked by the token refresh exchange. */
  clientId?: string;
  clientSecret?: string;
  bucketSize?: number;
  restoreRate?: number;
  history?: HistorySpec;
  /** Whether the live theme has our app embed on (default: never switched on, as after install). */
  appEmbed?: AppEmbedSetting;
  /**
   * The shop's staff, by user id (a session token's `sub`), as the online token exchange
   * names them. Default: user 1 is the account owner, Alex Morgan.
   */
  staff?: Record<string, { first_name: string; last_name: string; email: string; locale?: string }>;
}

/** The token-exchange grant and token types (shopify.dev "Exchange a session token for an access token"). */
const TOKEN_EXCHANGE = {
  grant: "urn:ietf:params:oauth:grant-type:token-exchange",
  idToken: "urn:ietf:params:oauth:token-type:id_token",
  online: "urn:shopify:params:oauth:token-type:online-access-token",
} as const;

export async function startAdminStandin(options: StandinOptions = {}): Promise<AdminStandin> {
  // Access token → when it stops working (null: never).
  const accessTokens = new Map<string, number | null>([[options.accessToken ?? "demo-offline-token", null]]);
  // Refresh tokens are single use: each exchange rotates it.
  const refreshTokens = new Set<string>();
  const tokenTtlDefault = 3600;
  let refreshes = 0;
  const maximum = options.bucketSize ?? 2000;
  const restoreRate = options.restoreRate ?? 100;
  let available = maximum;
  let lastRefill = Date.now();
  const failures: Failure[] = [];
  const discounts: CreatedDiscount[] = [];
  const credits: AdminStandin["credits"] = [];
  const flowTriggers: AdminStandin["flowTriggers"] = [];
  const storefrontTokens = new Set<string>();
  const requests: AdminStandin["requests"] = [];
  const metafields: AdminStandin["metafields"] = new Map();
  const tags: AdminStandin["tags"] = new Map();
  const orders: AdminStandin["orders"] = new Map();
  const segments: AdminStandin["segments"] = new Map();
  const automaticDiscounts: AdminStandin["automaticDiscounts"] = new Map();
  const customers: AdminStandin["customers"] = new Map();
  const theme = { settingsData: themeSettingsData(options.appEmbed ?? "absent") };
  const deniedScopes = new Set<string>();
  const menus = defaultMenus();
  const state = {
    history: options.history ?? null,
    bulkWebhook: null as AdminStandin["bulkWebhook"],
  };
  let baseUrl = "";
  const bulk = new BulkOperations({
    history: () => state.history,
    fileUrl: (id) => `${baseUrl}/__standin/bulk/${id.split("/").pop()}.jsonl`,
    webhook: () => state.bulkWebhook,
  });
  let gate: Promise<void> | null = null;
  let sequence = 1000;

  const throttleStatus = () => ({ maximumAvailable: maximum, currentlyAvailable: Math.floor(available), restoreRate });

  function refill() {
    const now = Date.now();
    available = Math.min(maximum, available + ((now - lastRefill) / 1000) * restoreRate);
    lastRefill = now;
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  }

  function userError(field: string[], message: string, code: string) {
    return { field, message, code };
  }

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    // What the app has done "in Shopify", for people watching the demo and for tests
    // that run the demo as a separate process.
    if (req.method === "GET" && req.url === "/__standin/state") {
      return send(res, 200, {
        discounts,
        credits,
        flowTriggers,
        metafields: Object.fromEntries(metafields),
        tags: Object.fromEntries([...tags].map(([id, set]) => [id, [...set]])),
        segments: Object.fromEntries(segments),
        automaticDiscounts: Object.fromEntries(automaticDiscounts),
        customers: Object.fromEntries(customers),
        requests: requests.length,
      });
    }
    // A bulk operation's result file, as its url serves it (JSONL).
    const file = /^\/__standin\/bulk\/(\d+)\.jsonl$/.exec(req.url ?? "");
    if (req.method === "GET" && file) {
      const lines = bulk.file(`gid://shopify/BulkOperation/${file[1]}`);
      if (!lines) return send(res, 404, { errors: "Not Found" });
      res.writeHead(200, { "Content-Type": "application/jsonl" });
      const cut = bulk.cutNextDownloadAfter;
      bulk.cutNextDownloadAfter = null;
      for (let i = 0; i < lines.length; i += 1000) {
        if (cut !== null && i >= cut) return res.destroy();
        if (!res.write(lines.slice(i, i + 1000).join("\n") + "\n")) await new Promise((r) => res.once("drain", r));
      }
      return res.end();
    }
    if (req.method === "POST" && (req.url ?? "").split("?")[0] === "/admin/oauth/access_token") {
      return refreshExchange(req, res);
    }
    // The Storefront API (shopify.dev storefront 2026-10): what email recommendations read.
    if (req.method === "POST" && /^\/api\/\d{4}-\d{2}\/graphql\.json$/.test((req.url ?? "").split("?")[0]!)) {
      const token = String(req.headers["x-shopify-storefront-access-token"] ?? "");
      if (!storefrontTokens.has(token)) return send(res, 401, { errors: [{ message: "Unauthorized" }] });
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      return send(res, 200, answerStorefront(Buffer.concat(chunks).toString("utf8")));
    }
    const match = /^\/admin\/api\/(\d{4}-\d{2})\/graphql\.json$/.exec((req.url ?? "").split("?")[0]!);
    if (req.method !== "POST" || !match) return send(res, 404, { errors: "Not Found" });
    const presented = String(req.headers["x-shopify-access-token"] ?? "");
    const expiresAt = accessTokens.get(presented);
    if (expiresAt === undefined || (expiresAt !== null && expiresAt <= Date.now())) {
      // Shopify's answer to a wrong or expired token (REST and GraphQL alike).
      return send(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, { errors: [{ message: "Invalid JSON in request body" }] });
    }
    let operation: OperationDefinitionNode | undefined;
    try {
      operation = parse(body.query ?? "").definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
    } catch (error) {
      return send(res, 200, { errors: [{ message: `Parse error: ${(error as Error).message}` }] });
    }
    if (!operation) return send(res, 200, { errors: [{ message: "No operation" }] });
    const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
    requests.push({
      shop: req.headers.host ?? "",
      fields: fields.map((f) => f.name.value),
      variables: body.variables ?? {},
    });
    if (gate) await gate;

    const failure = failures.shift();
    if (failure === "http500") return send(res, 500, { errors: "Internal Server Error" });
    if (failure === "hang") return; // never answers; the client's timeout fires

    refill();
    const cost = operation.operation === "mutation" ? MUTATION_COST * fields.length : QUERY_COST * fields.length;
    if (failure === "throttle" || available < cost) {
      return send(res, 200, {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus() } },
      });
    }
    available -= cost;

    const variables = body.variables ?? {};
    const data: Record<string, unknown> = {};
    for (const field of fields) {
      const name = field.name.value;
      const alias = field.alias?.value ?? name;
      switch (name) {
        // shopify.dev admin-graphql 2026-10 queries/shop: Shop { name, currencyCode, ianaTimezone }.
        case "shop":
          data[alias] = { name: "Comeback Demo Store", currencyCode: "USD", ianaTimezone: "Europe/Moscow" };
          break;
        // queries/shopLocales: [ShopLocale { locale, primary }].
        case "shopLocales":
          data[alias] = [
            { locale: "en", primary: true },
            { locale: "ru", primary: false },
          ];
          break;
        // queries/themes(roles, first): { nodes [OnlineStoreTheme { id name role files(filenames, first)
        // { nodes [OnlineStoreThemeFile { filename body }] } }] }; the body of a text file is
        // OnlineStoreThemeFileBodyText { content }. Needs read_themes.
        case "themes": {
          if (deniedScopes.has("read_themes")) return send(res, 200, accessDenied(field, alias, "read_themes"));
          const roles = argument(field, "roles", variables) as string[] | undefined;
          const filenames = (argument(nested(field, ["nodes", "files"]), "filenames", variables) ?? []) as string[];
          const files = [{ filename: "config/settings_data.json", body: { content: theme.settingsData } }].filter(
            (file) => filenames.includes(file.filename),
          );
          data[alias] = {
            nodes:
              roles === undefined || roles.includes(STANDIN_MAIN_THEME.role)
                ? [{ ...STANDIN_MAIN_THEME, files: { nodes: files, userErrors: [] } }]
                : [],
          };
          break;
        }
        // queries/menus(first): { nodes [Menu] }, and mutations/menuUpdate(id, title, handle, items):
        // MenuUpdatePayload (navigation.ts). Reading needs read_online_store_navigation, which
        // write_online_store_navigation (the app's scope) includes.
        case "menus": {
          if (deniedScopes.has("write_online_store_navigation"))
            return send(res, 200, accessDenied(field, alias, "read_online_store_navigation"));
          data[alias] = { nodes: menus.slice(0, Number(argument(field, "first", variables) ?? 50)) };
          break;
        }
        case "menuUpdate": {
          if (deniedScopes.has("write_online_store_navigation"))
            return send(res, 200, accessDenied(field, alias, "write_online_store_navigation"));
          data[alias] = updateMenu(
            menus,
            {
              id: String(argument(field, "id", variables) ?? ""),
              title: String(argument(field, "title", variables) ?? ""),
              handle: argument(field, "handle", variables) as string | undefined,
              items: argument(field, "items", variables),
            },
            () => ++sequence,
          );
          break;
        }
        // queries/currentAppInstallation: AppInstallation { id } (a GID).
        case "currentAppInstallation":
          data[alias] = { id: APP_INSTALLATION_ID };
          break;
        // queries/products (first, query, sortKey: TITLE): { nodes [Product { id title variants { nodes } }] }.
        case "products": {
          const first = Number(argument(field, "first", variables) ?? 50);
          const query = argument(field, "query", variables);
          data[alias] = {
            nodes: STANDIN_PRODUCTS.filter((p) => matchesTitle(p.title, query))
              .sort((a, b) => a.title.localeCompare(b.title))
              .slice(0, first)
              .map(productNode),
            pageInfo: { hasNextPage: false, endCursor: null },
          };
          break;
        }
        // queries/collections: { nodes [Collection { id title }] }.
        case "collections": {
          const first = Number(argument(field, "first", variables) ?? 50);
          const query = argument(field, "query", variables);
          data[alias] = {
            nodes: STANDIN_COLLECTIONS.filter((c) => matchesTitle(c.title, query))
              .slice(0, first)
              .map((c) => ({ id: `gid://shopify/Collection/${c.id}`, title: c.title })),
            pageInfo: { hasNextPage: false, endCursor: null },
          };
          break;
        }
        // queries/collection(id) { products(first, after) { nodes { id } pageInfo } }; null if unknown.
        case "collection": {
          const gid = String(argument(field, "id", variables) ?? "");
          const id = Number(/(\d+)$/.exec(gid)?.[1]);
          const found = STANDIN_COLLECTIONS.some((c) => c.id === id);
          data[alias] = found
            ? {
                id: gid,
                products: {
                  nodes: STANDIN_PRODUCTS.filter((p) => p.collections.includes(id)).map((p) => ({
                    id: productGid(p.id),
                  })),
                  pageInfo: { hasNextPage: false, endCursor: null },
                },
              }
            : null;
          break;
        }
        // queries/segments(first, query: name:"…"): { nodes [Segment { id name }] }.
        case "segments": {
          const wanted = /name:"((?:[^"\\]|\\.)*)"/.exec(String(argument(field, "query", variables) ?? ""))?.[1];
          data[alias] = {
            nodes: [...segments]
              .filter(([, seg]) => wanted === undefined || seg.name === wanted.replace(/\\"/g, '"'))
              .map(([id, seg]) => ({ id, name: seg.name, query: seg.query })),
          };
          break;
        }
        // queries/nodes(ids): one entry per id, null where nothing has it.
        case "nodes": {
          const ids = (argument(field, "ids", variables) ?? []) as string[];
          data[alias] = ids.map((gid) => node(String(gid)));
          break;
        }
        // queries/order: null for an id that is not the shop's, else the Order fields asked for.
        case "order":
          // Shopify answers null for an id that is not one of this shop's orders.
          {
            const order = orders.get(String(argument(field, "id", variables)));
            // A connection is never null in Shopify's schema: an order without lines has an empty one.
            data[alias] = order ? { lineItems: { nodes: [] }, ...order } : null;
          }
          break;
        // mutations/metafieldsSet: { metafields, userErrors { field message code } }, at most 25
        // inputs, all or nothing; codes INVALID_VALUE, LESS_THAN_OR_EQUAL_TO, INVALID.
        case "metafieldsSet": {
          const inputs = (argument(field, "metafields", variables) ?? []) as Array<Record<string, string>>;
          const errors = [];
          if (failure === "userError")
            errors.push(userError(["metafields", "0", "value"], "Value is invalid.", "INVALID_VALUE"));
          if (inputs.length > METAFIELDS_SET_LIMIT) {
            errors.push(
              userError(
                ["metafields"],
                `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`,
                "LESS_THAN_OR_EQUAL_TO",
              ),
            );
          }
          inputs.forEach((input, i) => {
            if (!/^gid:\/\/shopify\/(Customer|AppInstallation)\/\d+$/.test(input.ownerId ?? "")) {
              errors.push(userError(["metafields", String(i), "ownerId"], "Owner does not exist.", "INVALID"));
            }
            const problem = invalidValue(input.type ?? "", input.value ?? "");
            if (problem) errors.push(userError(["metafields", String(i), "value"], problem, "INVALID_VALUE"));
          });
          // All or nothing, as Shopify applies metafieldsSet.
          if (errors.length) {
            data[alias] = { metafields: null, userErrors: errors };
            break;
          }
          data[alias] = {
            metafields: inputs.map((input) => {
              metafields.set(`${input.ownerId}|${input.namespace}|${input.key}`, {
                type: input.type!,
                value: input.value!,
              });
              return { id: `gid://shopify/Metafield/${++sequence}`, namespace: input.namespace, key: input.key };
            }),
            userErrors: [],
          };
          break;
        }
        // mutations/metafieldsDelete: { deletedMetafields { key namespace ownerId }, userErrors }.
        case "metafieldsDelete": {
          const inputs = (argument(field, "metafields", variables) ?? []) as Array<Record<string, string>>;
          data[alias] = {
            deletedMetafields: inputs.map((input) =>
              metafields.delete(`${input.ownerId}|${input.namespace}|${input.key}`)
                ? { ownerId: input.ownerId, namespace: input.namespace, key: input.key }
                : null,
            ),
            userErrors: [],
          };
          break;
        }
        // mutations/tagsAdd and tagsRemove: { node { id }, userErrors }.
        case "tagsAdd":
        case "tagsRemove": {
          const id = String(argument(field, "id", variables) ?? "");
          const list = (argument(field, "tags", variables) ?? []) as string[];
          if (!/^gid:\/\/shopify\/Customer\/\d+$/.test(id)) {
            data[alias] = { node: null, userErrors: [userError(["id"], "Resource not found", "NOT_FOUND")] };
            break;
          }
          const current = tags.get(id) ?? new Set<string>();
          for (const tag of list) {
            if (name === "tagsAdd") current.add(tag);
            else current.delete(tag);
          }
          tags.set(id, current);
          data[alias] = { node: { id }, userErrors: [] };
          break;
        }
        // mutations/discountCodeBasicCreate and discountCodeFreeShippingCreate:
        // { codeDiscountNode { id }, userErrors }; a taken code is a userError on code.
        case "discountCodeBasicCreate":
        case "discountCodeFreeShippingCreate": {
          const input = (variables.basicCodeDiscount ?? variables.freeShippingCodeDiscount) as
            Record<string, unknown> | undefined;
          const code = String(input?.code ?? "");
          const errors = [];
          if (failure === "userError")
            errors.push(userError(["basicCodeDiscount", "customerGets"], "Customer gets value is invalid", "INVALID"));
          if (!code) errors.push(userError(["basicCodeDiscount", "code"], "Code can't be blank", "BLANK"));
          if (discounts.some((d) => d.code.toUpperCase() === code.toUpperCase())) {
            errors.push(
              userError(["basicCodeDiscount", "code"], "Code must be unique. Please try a different code.", "TAKEN"),
            );
          }
          const context = input?.context as
            { customers?: { add?: string[] }; customerSegments?: { add?: string[] } } | undefined;
          const customers = context?.customers?.add ?? [];
          if (customers.some((gid) => !/^gid:\/\/shopify\/Customer\/\d+$/.test(gid))) {
            errors.push(userError(["basicCodeDiscount", "context"], "Customer is invalid", "INVALID"));
          }
          if ((context?.customerSegments?.add ?? []).some((gid) => !segments.has(gid))) {
            errors.push(userError(["basicCodeDiscount", "context"], "Segment does not exist", "INVALID"));
          }
          if (errors.length) {
            data[alias] = { codeDiscountNode: null, userErrors: errors };
            break;
          }
          const id = `gid://shopify/DiscountCodeNode/${++sequence}`;
          discounts.push({ id, mutation: name, code, input: input ?? {} });
          data[alias] = { codeDiscountNode: { id }, userErrors: [] };
          break;
        }
        // mutations/segmentCreate(name, query) and segmentUpdate(id, name, query):
        // { segment { id }, userErrors { field message } }; names are unique per shop.
        case "segmentCreate":
        case "segmentUpdate": {
          const segmentName = String(argument(field, "name", variables) ?? "");
          const query = String(argument(field, "query", variables) ?? "");
          const id = name === "segmentUpdate" ? String(argument(field, "id", variables) ?? "") : null;
          if (!/^(number_of_orders|customer_tags) /.test(query)) {
            data[alias] = { segment: null, userErrors: [{ field: ["query"], message: "Query is invalid" }] };
            break;
          }
          if (id !== null && !segments.has(id)) {
            data[alias] = { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
            break;
          }
          if ([...segments].some(([gid, seg]) => seg.name === segmentName && gid !== id)) {
            data[alias] = { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
            break;
          }
          const gid = id ?? `gid://shopify/Segment/${++sequence}`;
          segments.set(gid, { name: segmentName, query });
          data[alias] = { segment: { id: gid }, userErrors: [] };
          break;
        }
        // mutations/discountAutomaticFreeShippingCreate and …Update:
        // { automaticDiscountNode { id }, userErrors { field message code } }.
        case "discountAutomaticFreeShippingCreate":
        case "discountAutomaticFreeShippingUpdate": {
          const input = (argument(field, "freeShippingAutomaticDiscount", variables) ?? {}) as Record<string, unknown>;
          const id =
            name === "discountAutomaticFreeShippingUpdate"
              ? String(argument(field, "id", variables) ?? "")
              : `gid://shopify/DiscountAutomaticNode/${++sequence}`;
          const segmentIds =
            (input.context as { customerSegments?: { add?: string[] } } | undefined)?.customerSegments?.add ?? [];
          const errors = [];
          if (!input.title)
            errors.push(userError(["freeShippingAutomaticDiscount", "title"], "Title can't be blank", "BLANK"));
          if (segmentIds.some((gid) => !segments.has(gid)))
            errors.push(userError(["freeShippingAutomaticDiscount", "context"], "Segment does not exist", "INVALID"));
          if (name === "discountAutomaticFreeShippingUpdate" && !automaticDiscounts.has(id))
            errors.push(userError(["id"], "Discount does not exist", "NOT_FOUND"));
          if (errors.length) {
            data[alias] = { automaticDiscountNode: null, userErrors: errors };
            break;
          }
          automaticDiscounts.set(id, input);
          data[alias] = { automaticDiscountNode: { id }, userErrors: [] };
          break;
        }
        // mutations/discountAutomaticDelete(id): { deletedAutomaticDiscountId, userErrors }.
        case "discountAutomaticDelete": {
          const id = String(argument(field, "id", variables) ?? "");
          data[alias] = automaticDiscounts.delete(id)
            ? { deletedAutomaticDiscountId: id, userErrors: [] }
            : {
                deletedAutomaticDiscountId: null,
                userErrors: [userError(["id"], "Discount does not exist", "NOT_FOUND")],
              };
          break;
        }
        // mutations/storeCreditAccountCredit: { storeCreditAccountTransaction { id amount }, userErrors }.
        // mutations/flowTriggerReceive (2026-10): { userErrors { field message } }. Flow
        // refuses an unknown handle and a payload over 50 KB; a customer reference needs
        // the numeric customer_id.
        case "flowTriggerReceive": {
          const handle = String(variables.handle ?? "");
          const payload = variables.payload as Record<string, unknown> | undefined;
          const errors = [];
          if (failure === "userError" || !/^[a-z0-9-]{1,30}$/.test(handle))
            errors.push({ field: ["handle"], message: "Invalid handle" });
          if (!payload || typeof payload !== "object" || JSON.stringify(payload).length > 50_000)
            errors.push({ field: ["payload"], message: "Invalid payload" });
          else if ("customer_id" in payload && !Number.isInteger(payload.customer_id))
            errors.push({ field: ["payload", "customer_id"], message: "customer_id must be a number" });
          if (!errors.length) flowTriggers.push({ handle, payload: payload! });
          data[alias] = { userErrors: errors };
          break;
        }
        // mutations/storefrontAccessTokenCreate: { storefrontAccessToken { accessToken title }, userErrors }.
        case "storefrontAccessTokenCreate": {
          const title = String((variables.input as { title?: unknown } | undefined)?.title ?? "");
          if (!title) {
            data[alias] = {
              storefrontAccessToken: null,
              userErrors: [{ field: ["input", "title"], message: "Title can't be blank" }],
            };
            break;
          }
          const accessToken = `standin-storefront-${++sequence}`;
          storefrontTokens.add(accessToken);
          data[alias] = { storefrontAccessToken: { accessToken, title }, userErrors: [] };
          break;
        }
        case "bulkOperationRunQuery":
          data[alias] = bulk.run(
            String(argument(field, "query", variables) ?? ""),
            Boolean(argument(field, "groupObjects", variables)),
          );
          break;
        case "bulkOperation":
          data[alias] = bulk.get(String(argument(field, "id", variables)));
          break;
        // shopify.dev admin-graphql 2026-10 queries/customers: the search syntax's email:"…" terms
        // joined with OR (the only form the app sends), first ≤ 250.
        case "customers": {
          const query = String(variables.query ?? "");
          const wanted = new Set([...query.matchAll(/email:"([^"]*)"/g)].map((m) => m[1]!.toLowerCase()));
          const nodes = [...customers]
            .filter(([, c]) => wanted.has(c.email.toLowerCase()))
            .slice(0, 250)
            .map(([id, c]) => ({ id, email: c.email, firstName: c.firstName }));
          data[alias] = { nodes };
          break;
        }
        // mutations/customerCreate: an email already taken or malformed is a userError.
        case "customerCreate": {
          const input = (variables.input ?? {}) as {
            email?: string;
            firstName?: string | null;
            lastName?: string | null;
          };
          const email = (input.email ?? "").trim();
          const taken = [...customers.values()].some((c) => c.email.toLowerCase() === email.toLowerCase());
          if (failure === "userError" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || taken) {
            data[alias] = {
              customer: null,
              userErrors: [{ field: ["email"], message: taken ? "Email has already been taken" : "Email is invalid" }],
            };
            break;
          }
          const id = `gid://shopify/Customer/${8_000_000_000 + ++sequence}`;
          customers.set(id, { email, firstName: input.firstName ?? null, lastName: input.lastName ?? null });
          data[alias] = { customer: { id, email }, userErrors: [] };
          break;
        }
        case "storeCreditAccountCredit": {
          const credit = (
            variables.creditInput as { creditAmount?: { amount?: string; currencyCode?: string } } | undefined
          )?.creditAmount;
          if (failure === "userError" || !credit?.amount || Number(credit.amount) <= 0) {
            data[alias] = {
              storeCreditAccountTransaction: null,
              userErrors: [
                userError(["creditInput", "creditAmount", "amount"], "Amount must be greater than 0", "INVALID"),
              ],
            };
            break;
          }
          const id = `gid://shopify/StoreCreditAccountCreditTransaction/${++sequence}`;
          credits.push({
            id,
            customer: String(variables.id),
            amount: credit.amount,
            currency: credit.currencyCode ?? "USD",
          });
          data[alias] = {
            storeCreditAccountTransaction: { id, amount: { amount: credit.amount, currencyCode: credit.currencyCode } },
            userErrors: [],
          };
          break;
        }
        default:
          // Loud, so a query the app starts sending cannot pass unnoticed.
          return send(res, 200, {
            errors: [
              {
                message: `Field '${name}' is not implemented by the Comeback Admin API stand-in`,
                extensions: { code: "NOT_IMPLEMENTED" },
              },
            ],
          });
      }
    }
    send(res, 200, {
      data,
      extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus() } },
    });
  });

  function issue(ttlSeconds: number) {
    const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    const expiresAt = Date.now() + ttlSeconds * 1000;
    accessTokens.set(accessToken, expiresAt);
    refreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresAt };
  }

  /**
   * The refresh exchange as shopify-api sends it (lib/auth/oauth/refresh-token.ts): JSON
   * { client_id, client_secret, refresh_token, grant_type: "refresh_token" }; answered as
   * shopify-app-remix's test helper expect-token-refresh.ts shows Shopify answering:
   * { access_token, scope, expires_in, refresh_token, refresh_token_expires_in }.
   */
  /**
   * Token exchange for an online access token. The answer is shaped as shopify.dev
   * documents it ("Online access tokens": access_token, scope, expires_in,
   * associated_user_scope and associated_user with id, first_name, last_name, email,
   * email_verified, account_owner, locale, collaborator). The session token must be signed
   * with the app's secret, as Shopify checks it.
   */
  function onlineExchange(res: ServerResponse, body: Record<string, unknown>) {
    const token = typeof body.subject_token === "string" ? body.subject_token : "";
    const [header, payload, signature] = token.split(".");
    const secret = options.clientSecret ?? String(body.client_secret ?? "");
    const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
    let claims: { sub?: unknown; exp?: unknown } = {};
    try {
      claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as typeof claims;
    } catch {
      // answered below
    }
    if (
      body.subject_token_type !== TOKEN_EXCHANGE.idToken ||
      signature !== expected ||
      typeof claims.exp !== "number" ||
      claims.exp * 1000 < Date.now()
    ) {
      return send(res, 400, { error: "invalid_subject_token", error_description: "The session token is invalid" });
    }
    const staff = options.staff ?? { "1": { first_name: "Alex", last_name: "Morgan", email: "alex@example.com" } };
    const user = staff[String(claims.sub)];
    if (!user) return send(res, 400, { error: "invalid_subject_token", error_description: "Unknown user" });
    const issued = issue(86_399);
    return send(res, 200, {
      access_token: issued.accessToken,
      scope: "read_customers,write_customers,read_orders,write_discounts",
      expires_in: 86_399,
      associated_user_scope: "read_customers,write_customers,read_orders,write_discounts",
      associated_user: {
        id: Number(claims.sub),
        ...user,
        locale: user.locale ?? "en",
        email_verified: true,
        account_owner: String(claims.sub) === "1",
        collaborator: false,
      },
    });
  }

  async function refreshExchange(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: "invalid_request", error_description: "The request body is not JSON" });
    }
    if (
      body.client_id !== (options.clientId ?? body.client_id) ||
      body.client_secret !== (options.clientSecret ?? body.client_secret)
    ) {
      return send(res, 401, { error: "invalid_client", error_description: "Client authentication failed" });
    }
    if (body.grant_type === TOKEN_EXCHANGE.grant && body.requested_token_type === TOKEN_EXCHANGE.online)
      return onlineExchange(res, body);
    if (
      body.grant_type !== "refresh_token" ||
      typeof body.refresh_token !== "string" ||
      !refreshTokens.delete(body.refresh_token)
    ) {
      return send(res, 400, {
        error: "invalid_grant",
        error_description: "The refresh token is invalid, expired or already used",
      });
    }
    const next = issue(tokenTtlDefault);
    refreshes += 1;
    return send(res, 200, {
      access_token: next.accessToken,
      scope: "read_customers,write_customers,read_orders,write_discounts",
      expires_in: tokenTtlDefault,
      refresh_token: next.refreshToken,
      refresh_token_expires_in: 2_592_000,
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  baseUrl = url;
  return {
    url,
    bulk,
    get history() {
      return state.history;
    },
    set history(spec) {
      state.history = spec;
    },
    get bulkWebhook() {
      return state.bulkWebhook;
    },
    set bulkWebhook(hook) {
      state.bulkWebhook = hook;
    },
    endpoint: () => `${url}/admin/api/2026-10/graphql.json`,
    theme,
    menus,
    deniedScopes,
    discounts,
    credits,
    flowTriggers,
    requests,
    metafields,
    tags,
    orders,
    customers,
    segments,
    automaticDiscounts,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    issueExpiringToken(ttlSeconds = tokenTtlDefault) {
      const issued = issue(ttlSeconds);
      return { ...issued, expiresAt: new Date(issued.expiresAt) };
    },
    expireToken(accessToken) {
      if (accessTokens.has(accessToken)) accessTokens.set(accessToken, Date.now());
    },
    get refreshes() {
      return refreshes;
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
