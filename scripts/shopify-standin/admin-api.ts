/**
 * A local stand-in for the Shopify Admin GraphQL API, for the demo and the tests.
 *
 * It implements exactly what the app sends, with Shopify's response shapes:
 * `discountCodeBasicCreate`, `discountCodeFreeShippingCreate`, `storeCreditAccountCredit`
 * (each with `userErrors`) and the `shop` query. Anything else fails loudly with a
 * GraphQL error naming the field. It checks the access token, keeps Shopify's leaky
 * bucket (cost points restored per second; `THROTTLED` with the bucket's state when
 * empty, answered with HTTP 200 as Shopify does), and can be told to fail: HTTP 5xx,
 * a hang past the client's timeout, throttling, or a userError.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Kind, parse, type FieldNode, type OperationDefinitionNode } from "graphql";

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
  requests: Array<{ shop: string; fields: string[] }>;
  /** The next `count` requests fail this way. */
  failNext(failure: Failure, count?: number): void;
  close(): Promise<void>;
}

const MUTATION_COST = 10;
const QUERY_COST = 1;

export async function startAdminStandin(options: { port?: number; accessToken?: string; bucketSize?: number; restoreRate?: number } = {}): Promise<AdminStandin> {
  const token = options.accessToken ?? "demo-offline-token";
  const maximum = options.bucketSize ?? 2000;
  const restoreRate = options.restoreRate ?? 100;
  let available = maximum;
  let lastRefill = Date.now();
  const failures: Failure[] = [];
  const discounts: CreatedDiscount[] = [];
  const credits: AdminStandin["credits"] = [];
  const requests: AdminStandin["requests"] = [];
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
    const match = /^\/admin\/api\/(\d{4}-\d{2})\/graphql\.json$/.exec((req.url ?? "").split("?")[0]!);
    if (req.method !== "POST" || !match) return send(res, 404, { errors: "Not Found" });
    if (req.headers["x-shopify-access-token"] !== token) {
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
      operation = parse(body.query ?? "").definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    } catch (error) {
      return send(res, 200, { errors: [{ message: `Parse error: ${(error as Error).message}` }] });
    }
    if (!operation) return send(res, 200, { errors: [{ message: "No operation" }] });
    const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
    requests.push({ shop: req.headers.host ?? "", fields: fields.map((f) => f.name.value) });

    const failure = failures.shift();
    if (failure === "http500") return send(res, 500, { errors: "Internal Server Error" });
    if (failure === "hang") return; // never answers; the client's timeout fires

    refill();
    const cost = operation.operation === "mutation" ? MUTATION_COST * fields.length : QUERY_COST * fields.length;
    if (failure === "throttle" || available < cost) {
      return send(res, 200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
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
        case "shop":
          data[alias] = { name: "Comeback Demo Store", currencyCode: "USD", ianaTimezone: "Europe/Moscow" };
          break;
        case "discountCodeBasicCreate":
        case "discountCodeFreeShippingCreate": {
          const input = (variables.basicCodeDiscount ?? variables.freeShippingCodeDiscount) as Record<string, unknown> | undefined;
          const code = String(input?.code ?? "");
          const errors = [];
          if (failure === "userError") errors.push(userError(["basicCodeDiscount", "customerGets"], "Customer gets value is invalid", "INVALID"));
          if (!code) errors.push(userError(["basicCodeDiscount", "code"], "Code can't be blank", "BLANK"));
          if (discounts.some((d) => d.code.toUpperCase() === code.toUpperCase())) {
            errors.push(userError(["basicCodeDiscount", "code"], "Code must be unique. Please try a different code.", "TAKEN"));
          }
          const customers = ((input?.context as { customers?: { add?: string[] } } | undefined)?.customers?.add) ?? [];
          if (customers.some((gid) => !/^gid:\/\/shopify\/Customer\/\d+$/.test(gid))) {
            errors.push(userError(["basicCodeDiscount", "context"], "Customer is invalid", "INVALID"));
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
        case "storeCreditAccountCredit": {
          const credit = (variables.creditInput as { creditAmount?: { amount?: string; currencyCode?: string } } | undefined)?.creditAmount;
          if (failure === "userError" || !credit?.amount || Number(credit.amount) <= 0) {
            data[alias] = { storeCreditAccountTransaction: null, userErrors: [userError(["creditInput", "creditAmount", "amount"], "Amount must be greater than 0", "INVALID")] };
            break;
          }
          const id = `gid://shopify/StoreCreditAccountCreditTransaction/${++sequence}`;
          credits.push({ id, customer: String(variables.id), amount: credit.amount, currency: credit.currencyCode ?? "USD" });
          data[alias] = { storeCreditAccountTransaction: { id, amount: { amount: credit.amount, currencyCode: credit.currencyCode } }, userErrors: [] };
          break;
        }
        default:
          // Loud, so a query the app starts sending cannot pass unnoticed.
          return send(res, 200, {
            errors: [{ message: `Field '${name}' is not implemented by the Comeback Admin API stand-in`, extensions: { code: "NOT_IMPLEMENTED" } }],
          });
      }
    }
    send(res, 200, { data, extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus() } } });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    endpoint: () => `${url}/admin/api/2026-10/graphql.json`,
    discounts,
    credits,
    requests,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
