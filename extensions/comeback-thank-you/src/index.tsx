/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { ThankYouBlock, type ThankYouApi } from "./block";

// The app's URL, fixed when the extension is built (see scripts/build-thank-you.ts).
declare const COMEBACK_APP_URL: string;

export default async () => {
  render(<ThankYouBlock api={shopify as unknown as ThankYouApi} appUrl={COMEBACK_APP_URL} />, document.body);
};
