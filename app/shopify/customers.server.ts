import type { AdminGraphql } from "./admin-api.server";
import { parseGid } from "./ids";

/**
 * Customers in Shopify by email, and new ones, for the member import: a member is a
 * Shopify customer, so an imported email must be one (found, or created when the
 * merchant chose to).
 */

export const CUSTOMERS_BY_EMAIL = `#graphql
  query ComebackCustomersByEmail($query: String!) {
    customers(first: 250, query: $query) {
      nodes {
        id
        email
        firstName
      }
    }
  }
`;

export const CUSTOMER_CREATE = `#graphql
  mutation ComebackCustomerCreate($input: CustomerInput!) {
    customerCreate(input: $input) {
      customer {
        id
        email
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** At most this many emails per search: Shopify returns up to 250 customers a page. */
export const EMAILS_PER_SEARCH = 100;

/** Shopify customer ids by lower-cased email, for up to EMAILS_PER_SEARCH emails. */
export async function customersByEmail(admin: AdminGraphql, emails: string[]): Promise<Map<string, bigint>> {
  const found = new Map<string, bigint>();
  if (emails.length === 0) return found;
  // Shopify's search syntax: quoted values, joined with OR.
  const query = emails.map((email) => `email:"${email.replace(/["\\]/g, "")}"`).join(" OR ");
  const result = await admin.request(CUSTOMERS_BY_EMAIL, { query });
  for (const node of result.customers.nodes) {
    const id = parseGid(node.id, "Customer");
    if (node.email && id !== null) found.set(node.email.toLowerCase(), id);
  }
  return found;
}

export async function createCustomer(
  admin: AdminGraphql,
  input: { email: string; firstName: string | null; lastName: string | null },
): Promise<{ id: bigint } | { error: string }> {
  const result = await admin.request(CUSTOMER_CREATE, {
    input: { email: input.email, firstName: input.firstName, lastName: input.lastName },
  });
  const payload = result.customerCreate;
  const id = payload?.customer ? parseGid(payload.customer.id, "Customer") : null;
  if (id !== null) return { id };
  return { error: payload?.userErrors.map((e) => e.message).join("; ") || "customerCreate returned no customer" };
}
