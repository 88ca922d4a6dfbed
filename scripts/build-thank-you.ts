/**
 * Bundles the Thank-you page extension as Shopify's CLI would (esbuild, Preact JSX) into
 * extensions/comeback-thank-you/dist/, and checks Shopify's 64 KB compressed limit for
 * UI extension scripts. The app URL the block calls is fixed at build time from
 * SHOPIFY_APP_URL.
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const EXTENSION = "extensions/comeback-thank-you";
export const LIMIT_BYTES = 64 * 1024;
const OUT = `${EXTENSION}/dist/thank-you.js`;

export async function buildThankYou(appUrl = process.env.SHOPIFY_APP_URL || "http://localhost:3000"): Promise<{ raw: number; gzip: number }> {
  await build({
    entryPoints: [`${EXTENSION}/src/index.tsx`],
    outfile: OUT,
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2020"],
    jsx: "automatic",
    jsxImportSource: "preact",
    define: { COMEBACK_APP_URL: JSON.stringify(appUrl) },
    legalComments: "none",
    logLevel: "warning",
  });
  const code = readFileSync(OUT);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = await buildThankYou();
  console.log(`thank-you extension: ${(size.raw / 1024).toFixed(1)} KB, ${(size.gzip / 1024).toFixed(1)} KB gzip (Shopify's limit ${LIMIT_BYTES / 1024} KB)`);
  if (size.gzip > LIMIT_BYTES) {
    console.error("thank-you extension is over Shopify's size limit");
    process.exit(1);
  }
}
