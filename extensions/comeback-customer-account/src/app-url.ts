// Written by scripts/build-thank-you.ts from SHOPIFY_APP_URL or shopify.app.toml.
export const APP_URL = "https://example.com";
