/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import { render } from "preact";
import { APP_URL } from "./app-url";
import { ThankYouBlock, type ThankYouApi } from "./block";

export default async () => {
  // The global is this target's Api (Shopify CLI's generated shopify.d.ts says the same);
  // assigning it to ThankYouApi makes tsc check the block's narrow view of it.
  const api: ThankYouApi = shopify as unknown as Api;
  render(<ThankYouBlock api={api} appUrl={APP_URL} />, document.body);
};
