/**
 * Shopify's official Admin GraphQL schema (2026-10), for validating the documents the
 * app sends. Shopify publishes it inside the npm package @shopify/dev-mcp; we fetch
 * that package's tarball from the npm registry once (pinned version and checksum),
 * keep only the schema file under node_modules/.cache, and never commit it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const PACKAGE = "@shopify/dev-mcp@1.16.0";
const FILE = "package/dist/data/admin_2026-10.json.gz";
const SHA256 = "f3b522f264556925eada700e795e4a002a9cba83444ebcc6c0d724254a0c6593";
const cacheDir = resolve("node_modules/.cache/comeback");
const cached = join(cacheDir, "admin_2026-10.json.gz");

function sha256(path: string) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export function ensureAdminSchemaFile(): string {
  if (existsSync(cached) && sha256(cached) === SHA256) return cached;
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "shopify-schema-"));
  try {
    const tarball = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", work], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!;
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", work, FILE]);
    const extracted = join(work, FILE);
    const digest = sha256(extracted);
    if (digest !== SHA256) throw new Error(`${PACKAGE} ${FILE} has checksum ${digest}, expected ${SHA256}`);
    renameSync(extracted, cached);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return cached;
}

export function loadAdminSchema(): GraphQLSchema {
  const introspection = JSON.parse(gunzipSync(readFileSync(ensureAdminSchemaFile())).toString("utf8")) as {
    data: IntrospectionQuery;
  };
  return buildClientSchema(introspection.data);
}
