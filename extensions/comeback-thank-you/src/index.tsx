/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { APP_URL } from "./app-url";
import { ThankYouBlock, type ThankYouApi } from "./block";

export default async () => {
  render(<ThankYouBlock api={shopify as unknown as ThankYouApi} appUrl={APP_URL} />, document.body);
};
