/**
 * Builds the theme app extension's scripts: plain TypeScript → one minified file per
 * entry in the extension's assets/, and checks the storefront size budget.
 *
 * The launcher loads on every page (deferred); the panel only on first interaction; the
 * cart script on the cart page and where a theme has a cart drawer. Shopify suggests at
 * most 10 KB of compressed JS per app on the storefront; all three together must stay
 * within half that, or the build fails. The app renders the panel's and the cart's HTML,
 * so the scripts hold behaviour only.
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const EXTENSION = "extensions/comeback-theme";
export const BUDGET_BYTES = 5 * 1024;
const ENTRIES = ["launcher", "panel", "cart"] as const;

export async function buildStorefront(): Promise<Record<(typeof ENTRIES)[number], { raw: number; gzip: number }>> {
  await build({
    entryPoints: ENTRIES.map((name) => ({ in: join(EXTENSION, "src", `${name}.ts`), out: `comeback-${name}` })),
    outdir: join(EXTENSION, "assets"),
    bundle: true,
    minify: true,
    format: "iife",
    // Every browser Shopify's themes support; no polyfills are pulled in.
    target: ["es2020"],
    legalComments: "none",
    logLevel: "warning",
  });
  const sizes = {} as Record<(typeof ENTRIES)[number], { raw: number; gzip: number }>;
  for (const name of ENTRIES) {
    const code = readFileSync(join(EXTENSION, "assets", `comeback-${name}.js`));
    sizes[name] = { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
  }
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildStorefront();
  const total = ENTRIES.reduce((sum, name) => sum + sizes[name].gzip, 0);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
  console.log(
    `storefront JS (gzip): ${ENTRIES.map((name) => `${name} ${kb(sizes[name].gzip)}`).join(" + ")} = ${kb(total)} (budget ${kb(BUDGET_BYTES)})`,
  );
  if (total > BUDGET_BYTES) {
    console.error("storefront JS is over its size budget");
    process.exit(1);
  }
}
