import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";

/**
 * Types for the Admin GraphQL documents the app sends (`#graphql` literals under
 * app/shopify), as Shopify's app template generates them. The schema is Shopify's own
 * 2026-10 introspection, which `npm run graphql-codegen` unpacks into app/types first
 * (scripts/graphql-codegen.ts): nothing is downloaded from shopify.dev. Only the types
 * the documents use are generated (onlyOperationTypes); app/types is generated, never committed.
 */
const project = shopifyApiProject({
  apiType: ApiType.Admin,
  apiVersion: "2026-10",
  documents: ["./app/shopify/**/*.ts"],
  outputDir: "./app/types",
});

const generates = project.extensions.codegen.generates as Record<string, { config?: Record<string, unknown> }>;
for (const [file, target] of Object.entries(generates)) {
  if (file.endsWith("admin.types.d.ts")) target.config = { ...target.config, onlyOperationTypes: true };
}

export default { projects: { default: project } };
