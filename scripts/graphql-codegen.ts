/**
 * `npm run graphql-codegen`: types for the Admin GraphQL documents the app sends, as
 * Shopify's app template makes them (@shopify/api-codegen-preset, .graphqlrc.ts), from
 * Shopify's own 2026-10 schema unpacked locally (scripts/shopify-admin-schema.ts): the
 * preset would download it from shopify.dev, which these machines cannot reach. Runs on
 * install and before every type check, so the types follow the documents.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { ensureAdminSchemaFile } from "./shopify-admin-schema";

const target = "app/types/admin-2026-10.schema.json";
const source = ensureAdminSchemaFile();
if (!existsSync(target) || statSync(target).mtimeMs < statSync(source).mtimeMs) {
  mkdirSync("app/types", { recursive: true });
  writeFileSync(target, gunzipSync(readFileSync(source)));
}
execFileSync("npx", ["--no-install", "graphql-codegen", "--config", ".graphqlrc.ts", "--silent"], { stdio: "inherit" });
