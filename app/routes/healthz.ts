import prisma from "../db.server";

const TIMEOUT_MS = 2000;

/**
 * Liveness and readiness for load balancers: 200 when PostgreSQL answers, 503 otherwise.
 * It never reveals connection details.
 */
export async function loader() {
  const started = performance.now();
  try {
    await Promise.race([
      prisma.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS)),
    ]);
    return Response.json(
      { status: "ok", database: "ok", latencyMs: Math.round(performance.now() - started) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return Response.json(
      { status: "unavailable", database: "unreachable" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
