/**
 * The app's layers, as import rules (docs/architecture.md draws them). From the bottom:
 *
 *   domain      pure rules: no database, no HTTP, no configuration
 *   platform    configuration, logging, database, job queue: imports nothing above it
 *   services    use cases over the database; the ledger writes balances
 *   shopify     Shopify I/O and payload mapping; integrations: review apps
 *   http        the edge's answers (JSON, request bodies, error → status)
 *   jobs        what runs in the background
 *   routes      thin Remix routes; components and i18n are the admin's UI; storefront
 *               is the HTML the app renders for the Online Store (a view: no I/O)
 *
 * `npm run lint` runs these (scripts/check-architecture.ts), with a check that no two
 * folders of app/ import each other in a circle.
 */
const above = (...layers) => `^app/(${layers.join("|")})(/|\\.|$)`;

module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "The domain is plain TypeScript: rules and their input types, nothing it must ask anyone.",
      severity: "error",
      from: { path: "^app/domain/" },
      to: { path: ["^app/(?!domain/)", "node_modules/(@prisma|prisma|pg|pg-boss|@shopify|@remix-run|express|pino)/"] },
    },
    {
      name: "platform-is-the-ground",
      comment: "Configuration, logging, database and queue know nothing of what runs on them.",
      severity: "error",
      from: { path: "^app/platform/" },
      to: { path: "^app/(?!platform/|generated/)" },
    },
    {
      name: "services-take-no-io",
      comment: "Use cases take the database handle and domain inputs; Shopify and HTTP sit above them.",
      severity: "error",
      from: { path: "^app/services/" },
      to: {
        path: [
          above("shopify", "integrations", "http", "jobs", "routes", "components"),
          "^app/(db|shopify)\\.server\\.ts$",
        ],
      },
    },
    {
      name: "shopify-below-the-edge",
      severity: "error",
      from: { path: ["^app/shopify/", "^app/shopify\\.server\\.ts$"] },
      to: { path: above("integrations", "jobs", "routes", "components") },
    },
    {
      name: "integrations-below-the-edge",
      severity: "error",
      from: { path: "^app/integrations/" },
      to: { path: above("jobs", "routes", "components") },
    },
    {
      name: "http-helpers-are-generic",
      comment: "The edge's helpers map results to answers; they call no Shopify or job code.",
      severity: "error",
      from: { path: "^app/http/" },
      to: { path: above("shopify", "integrations", "jobs", "routes", "components") },
    },
    {
      name: "jobs-are-not-http",
      severity: "error",
      from: { path: "^app/jobs/" },
      to: { path: above("routes", "components", "http") },
    },
    {
      name: "routes-stand-alone",
      comment: "A route never imports another route; shared code lives in a lower layer.",
      severity: "error",
      from: { path: "^app/routes/([^/]+)" },
      to: { path: "^app/routes/", pathNot: "^app/routes/$1" },
    },
    {
      name: "ui-stays-client-safe",
      comment: "Components and texts go to the browser: no server code.",
      severity: "error",
      from: { path: "^app/(components|i18n)/" },
      to: {
        path: [
          above("services", "platform", "shopify", "integrations", "http", "jobs", "routes"),
          "^app/(db|shopify)\\.server\\.ts$",
        ],
      },
    },
    {
      name: "storefront-html-is-a-view",
      comment: "The panel and cart fragments render what their route hands them: types from services, no I/O.",
      severity: "error",
      from: { path: "^app/storefront/" },
      to: {
        path: [
          above("platform", "shopify", "integrations", "http", "jobs", "routes", "components"),
          "^app/(db|shopify)\\.server\\.ts$",
        ],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "services-are-types-to-storefront",
      comment: "Storefront fragments may name a service's result type, never call one.",
      severity: "error",
      from: { path: "^app/storefront/" },
      to: { path: "^app/services/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "texts-stand-alone",
      severity: "error",
      from: { path: "^app/i18n/" },
      to: { path: "^app/(?!i18n/)" },
    },
    {
      name: "no-circular",
      comment: "No file reaches itself through its imports.",
      severity: "error",
      from: { path: "^(app|server)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^app/generated/", "^app/types/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
