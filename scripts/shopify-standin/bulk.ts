import { createHmac, randomUUID } from "node:crypto";

/**
 * Bulk operations in the Admin API stand-in, as shopify.dev documents them
 * (docs/api/usage/bulk-operations/queries, API 2026-01 and later):
 * - bulkOperationRunQuery(query:, groupObjects:) → { bulkOperation { id status }, userErrors
 *   { code field message } }, OPERATION_IN_PROGRESS while one of the app's queries runs;
 * - BulkOperation { id status errorCode createdAt completedAt objectCount rootObjectCount
 *   fileSize url partialDataUrl query type }, counts as UnsignedInt64 strings, status
 *   CREATED → RUNNING → COMPLETED;
 * - the result: JSONL, one node per line, a connection's nodes on their own lines after
 *   their parent with "__parentId" (grouped);
 * - the bulk_operations/finish webhook: { admin_graphql_api_id, completed_at, created_at,
 *   error_code, status, type } with lower-case values, signed like every webhook.
 *
 * What the stand-in's shop has is a deterministic order history (`history`).
 */

export interface HistorySpec {
  orders: number;
  /** Customers the orders are spread over; a tenth of the orders are guest checkouts. */
  customers: number;
  /** The oldest order; the rest spread evenly up to now. */
  since: Date;
  currency?: string;
  /** Customer ids start here (gid://shopify/Customer/<first + n>). */
  firstCustomerId?: number;
  firstOrderId?: number;
}

export interface BulkOperation {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
  type: "QUERY";
}

/** A small deterministic PRNG (mulberry32), so the same spec gives the same history. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The JSONL lines of the history's orders processed at or after `from`, in order. */
export function* historyLines(spec: HistorySpec, from: Date, now = Date.now()): Generator<string> {
  const rand = random(spec.orders * 31 + spec.customers);
  const span = now - spec.since.getTime();
  const currency = spec.currency ?? "USD";
  const firstCustomer = spec.firstCustomerId ?? 6_000_000_000;
  const firstOrder = spec.firstOrderId ?? 4_000_000_000;
  for (let n = 0; n < spec.orders; n++) {
    const at = new Date(spec.since.getTime() + Math.floor((span * n) / spec.orders));
    const guest = rand() < 0.1;
    const customer = Math.floor(rand() * spec.customers);
    const total = (1500 + Math.floor(rand() * 20000)) / 100;
    const cancelled = rand() < 0.03;
    const lines = 1 + Math.floor(rand() * 3);
    if (at < from) continue;
    const id = `gid://shopify/Order/${firstOrder + n}`;
    yield JSON.stringify({
      id,
      name: `#${1001 + n}`,
      email: guest ? `guest${n}@example.com` : `customer${customer}@example.com`,
      processedAt: at.toISOString(),
      cancelledAt: cancelled ? new Date(at.getTime() + 3_600_000).toISOString() : null,
      test: false,
      displayFinancialStatus: cancelled ? "REFUNDED" : "PAID",
      customer: guest ? null : { id: `gid://shopify/Customer/${firstCustomer + customer}` },
      totalPriceSet: { shopMoney: { amount: total.toFixed(2), currencyCode: currency } },
    });
    for (let l = 0; l < lines; l++)
      yield JSON.stringify({
        id: `gid://shopify/LineItem/${(firstOrder + n) * 4 + l}`,
        product: { id: `gid://shopify/Product/${100 + ((n + l) % 40)}` },
        __parentId: id,
      });
  }
}

/** The window a bulk query of orders asks for: processed_at:>='…' in its search query. */
export function processedSince(query: string): Date {
  const match = /processed_at:>=\\?['"]?([0-9T:.\-Z]+)/.exec(query);
  return match ? new Date(match[1]!) : new Date(0);
}

export class BulkOperations {
  readonly operations = new Map<string, BulkOperation & { lines: string[] }>();
  /** The next download of a result file breaks off after this many lines (a dropped connection). */
  cutNextDownloadAfter: number | null = null;
  private sequence = 1;

  constructor(
    private readonly options: {
      history: () => HistorySpec | null;
      fileUrl: (id: string) => string;
      webhook?: () => { url: string; secret: string; shop: string } | null;
    },
  ) {}

  run(query: string, groupObjects: boolean) {
    const running = [...this.operations.values()].filter((op) => op.status === "CREATED" || op.status === "RUNNING");
    // 2026-01 and later allow five concurrent query operations per shop.
    if (running.length >= 5)
      return {
        bulkOperation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${running[0]!.id}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    if (!/\borders\b/.test(query) || !groupObjects)
      return {
        bulkOperation: null,
        userErrors: [{ field: ["query"], message: "The stand-in runs grouped order queries only.", code: "INVALID" }],
      };
    const id = `gid://shopify/BulkOperation/${720_000 + this.sequence++}`;
    const spec = this.options.history();
    const lines = spec ? [...historyLines(spec, processedSince(query))] : [];
    const operation: BulkOperation & { lines: string[] } = {
      id,
      status: "CREATED",
      errorCode: null,
      createdAt: new Date().toISOString(),
      completedAt: null,
      objectCount: "0",
      rootObjectCount: "0",
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query,
      type: "QUERY",
      lines,
    };
    this.operations.set(id, operation);
    // Shopify runs it in the background: RUNNING at once, COMPLETED a moment later.
    setTimeout(() => (operation.status = "RUNNING"), 10);
    setTimeout(() => void this.complete(operation), 200);
    return { bulkOperation: { id, status: "CREATED" }, userErrors: [] };
  }

  private async complete(operation: BulkOperation & { lines: string[] }) {
    if (operation.status === "CANCELED") return;
    operation.status = "COMPLETED";
    operation.completedAt = new Date().toISOString();
    operation.objectCount = String(operation.lines.length);
    operation.rootObjectCount = String(operation.lines.filter((line) => !line.includes('"__parentId"')).length);
    const bytes = operation.lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    operation.fileSize = operation.lines.length ? String(bytes) : null;
    // No results: Shopify gives no URL.
    operation.url = operation.lines.length ? this.options.fileUrl(operation.id) : null;
    const hook = this.options.webhook?.();
    if (!hook) return;
    const body = JSON.stringify({
      admin_graphql_api_id: operation.id,
      completed_at: operation.completedAt,
      created_at: operation.createdAt,
      error_code: null,
      status: "completed",
      type: "query",
    });
    await fetch(hook.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "bulk_operations/finish",
        "X-Shopify-Shop-Domain": hook.shop,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Triggered-At": operation.completedAt,
        "X-Shopify-Hmac-Sha256": createHmac("sha256", hook.secret).update(body).digest("base64"),
      },
      body,
    }).catch(() => undefined); // Shopify's delivery is not guaranteed either: the app polls too.
  }

  get(id: string): BulkOperation | null {
    const operation = this.operations.get(id);
    if (!operation) return null;
    const { lines: _lines, ...view } = operation;
    return view;
  }

  /** The result file's lines, for GET of the operation's url. */
  file(id: string): string[] | null {
    const operation = this.operations.get(id);
    return operation?.status === "COMPLETED" ? operation.lines : null;
  }
}
