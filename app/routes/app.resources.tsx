import type { LoaderFunctionArgs } from "@remix-run/node";
import { privateJson } from "../http/responses";
import { adminContext } from "../shopify/admin-context.server";
import { searchResources, type ResourceType } from "../shopify/catalog.server";

const TYPES: ResourceType[] = ["product", "variant", "collection"];

/**
 * GET /app/resources?type=product&q=tea → { resources: [{ id, title }] }: the catalogue
 * search behind the resource picker where App Bridge's own picker is not available (the
 * local demo, against the Admin API stand-in).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { adminApi } = await adminContext(request);
  const url = new URL(request.url);
  const type = TYPES.find((t) => t === url.searchParams.get("type"));
  if (!type) return privateJson({ error: "bad_type", message: `type is one of ${TYPES.join(", ")}` }, 400);
  const admin = await adminApi();
  if (!admin) return privateJson({ error: "no_access", message: "The shop has no Admin API access" }, 503);
  return privateJson({ resources: await searchResources(admin, type, url.searchParams.get("q") ?? "") });
};
