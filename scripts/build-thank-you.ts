/**
 * Bundles the UI extensions as Shopify's CLI would (esbuild, Preact JSX): the Thank-you
 * block into extensions/comeback-thank-you/dist/, and each customer-account target into
 * extensions/comeback-customer-account/dist/; checks Shopify's 64 KB compressed limit for
 * UI extension scripts.
 *
 * Checkout extensions cannot discover the app's URL, and Shopify CLI bundles them from
 * source, so `npm run build` writes it into src/app-url.ts (committed): SHOPIFY_APP_URL
 * when set, otherwise shopify.app.toml's application_url. Run the build before
 * `shopify app deploy`.
 */
import { build } from "esbuild";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const EXTENSION = "extensions/comeback-thank-you";
export const LIMIT_BYTES = 64 * 1024;
const OUT = `${EXTENSION}/dist/thank-you.js`;

const APP_URL_FILES = [`${EXTENSION}/src/app-url.ts`, "extensions/comeback-customer-account/src/app-url.ts"];

const ACCOUNT = "extensions/comeback-customer-account";
/** Each customer-account target and its entry module (shopify.extension.toml). */
export const ACCOUNT_TARGETS = {
  "customer-account.page.render": "page-entry",
  "customer-account.profile.block.render": "profile-entry",
  "customer-account.order-status.block.render": "order-entry",
} as const;

/** The URL the block calls: SHOPIFY_APP_URL, or the app configuration's application_url. */
export function configuredAppUrl(): string {
  if (process.env.SHOPIFY_APP_URL) return process.env.SHOPIFY_APP_URL.replace(/\/$/, "");
  const toml = readFileSync("shopify.app.toml", "utf8");
  const match = /^application_url\s*=\s*"([^"]+)"/m.exec(toml);
  if (!match) throw new Error("shopify.app.toml has no application_url");
  return match[1]!.replace(/\/$/, "");
}

/** Writes each extension's src/app-url.ts when the URL changed (so a build leaves the tree clean). */
export function writeAppUrl(url: string): void {
  const content = `// Written by scripts/build-thank-you.ts from SHOPIFY_APP_URL or shopify.app.toml.\nexport const APP_URL = ${JSON.stringify(url)};\n`;
  for (const file of APP_URL_FILES)
    if (!existsSync(file) || readFileSync(file, "utf8") !== content) writeFileSync(file, content);
}

const FLOW_ACTION_FILE = "extensions/flow-award-points/shopify.extension.toml";

/** Points the Flow action's runtime_url at the same app (Flow calls it from Shopify's side). */
export function writeFlowRuntimeUrl(url: string): void {
  const toml = readFileSync(FLOW_ACTION_FILE, "utf8");
  const updated = toml.replace(/^runtime_url = "[^"]*"$/m, `runtime_url = "${url}/flow/award-points"`);
  if (updated !== toml) writeFileSync(FLOW_ACTION_FILE, updated);
}

async function bundle(entry: string, outfile: string): Promise<{ raw: number; gzip: number }> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2020"],
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    logLevel: "warning",
  });
  const code = readFileSync(outfile);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export function buildThankYou(): Promise<{ raw: number; gzip: number }> {
  return bundle(`${EXTENSION}/src/index.tsx`, OUT);
}

/** Each customer-account target's bundle, by target. */
export async function buildCustomerAccount(): Promise<
  Record<keyof typeof ACCOUNT_TARGETS, { raw: number; gzip: number }>
> {
  const sizes = {} as Record<keyof typeof ACCOUNT_TARGETS, { raw: number; gzip: number }>;
  for (const [target, entry] of Object.entries(ACCOUNT_TARGETS) as Array<[keyof typeof ACCOUNT_TARGETS, string]>)
    sizes[target] = await bundle(`${ACCOUNT}/src/${entry}.tsx`, `${ACCOUNT}/dist/${entry}.js`);
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeAppUrl(configuredAppUrl());
  writeFlowRuntimeUrl(configuredAppUrl());
  const size = await buildThankYou();
  console.log(
    `thank-you extension: ${(size.raw / 1024).toFixed(1)} KB, ${(size.gzip / 1024).toFixed(1)} KB gzip (Shopify's limit ${LIMIT_BYTES / 1024} KB)`,
  );
  const account = await buildCustomerAccount();
  for (const [target, bytes] of Object.entries(account))
    console.log(
      `${target}: ${(bytes.raw / 1024).toFixed(1)} KB, ${(bytes.gzip / 1024).toFixed(1)} KB gzip (Shopify's limit ${LIMIT_BYTES / 1024} KB)`,
    );
  if ([size, ...Object.values(account)].some((bytes) => bytes.gzip > LIMIT_BYTES)) {
    console.error("a UI extension is over Shopify's size limit");
    process.exit(1);
  }
}
