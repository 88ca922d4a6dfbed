import { describe, expect, it } from "vitest";
import { GraphqlQueryError, HttpInternalError, HttpResponseError, HttpThrottlingError } from "@shopify/shopify-api";
import { AdminApiError, fromAuthenticatedAdmin, type AuthenticatedAdmin } from "../../app/shopify/admin-api.server";

/** A stand-in for shopify-app-remix's `admin` that fails as the library does, then answers. */
function flakyAdmin(failures: unknown[], data: unknown) {
  const calls: Array<{ query: string; variables?: Record<string, unknown> }> = [];
  const admin: AuthenticatedAdmin = {
    async graphql(query, options) {
      calls.push({ query, variables: options?.variables });
      const failure = failures.shift();
      if (failure) throw failure;
      return new Response(JSON.stringify({ data }));
    },
  };
  return { admin, calls };
}

const waits: number[] = [];
const sleep = async (ms: number) => {
  waits.push(ms);
};

describe("the authenticated request's Admin client", () => {
  it("retries the library's throttling and 5xx errors, then returns data", async () => {
    waits.length = 0;
    const { admin, calls } = flakyAdmin(
      [
        new HttpThrottlingError({ message: "Throttled", code: 429, statusText: "Too Many Requests", retryAfter: 2 }),
        new GraphqlQueryError({
          message: "Throttled",
          response: {},
          body: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] },
        }),
        new HttpInternalError({ message: "Internal", code: 502, statusText: "Bad Gateway" }),
      ],
      { shop: { name: "A" } },
    );
    const client = fromAuthenticatedAdmin(admin, { attempts: 4, sleep });
    await expect(client.request("query { shop { name } }", { a: 1 })).resolves.toEqual({ shop: { name: "A" } });
    expect(calls).toHaveLength(4);
    expect(calls[0]!.variables).toEqual({ a: 1 });
    expect(waits[0]).toBe(2000); // Retry-After honoured
  });

  it("does not retry what Shopify will never accept", async () => {
    const { admin, calls } = flakyAdmin(
      [new HttpResponseError({ message: "Unauthorized", code: 401, statusText: "Unauthorized" })],
      {},
    );
    const error = await fromAuthenticatedAdmin(admin, { sleep })
      .request("query { shop { name } }")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).kind).toBe("auth");
    expect(calls).toHaveLength(1);
  });

  it("gives up after the last attempt with a retryable error", async () => {
    const failures = Array.from(
      { length: 3 },
      () => new HttpInternalError({ message: "Internal", code: 500, statusText: "Error" }),
    );
    const { admin } = flakyAdmin(failures, {});
    const error = (await fromAuthenticatedAdmin(admin, { attempts: 3, sleep })
      .request("query { shop { name } }")
      .catch((e: unknown) => e)) as AdminApiError;
    expect(error.kind).toBe("transient");
    expect(error.retryable).toBe(true);
  });
});
