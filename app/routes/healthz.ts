import prisma from "../db.server";
import { jsonResponse } from "../http/responses";
import { pingDatabase } from "../platform/database/health.server";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Liveness and readiness for load balancers: 200 when PostgreSQL answers, 503 otherwise.
 * It never reveals connection details.
 */
export async function loader() {
  const ping = await pingDatabase(prisma);
  if (!ping.ok)
    return jsonResponse({ status: "unavailable", database: "unreachable" }, { status: 503, headers: NO_STORE });
  return jsonResponse({ status: "ok", database: "ok", latencyMs: ping.latencyMs }, { headers: NO_STORE });
}
