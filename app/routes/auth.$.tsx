import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAdmin } from "../shopify/admin-auth.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticateAdmin(request);
  return null;
};
