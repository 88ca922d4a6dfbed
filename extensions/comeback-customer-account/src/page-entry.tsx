/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/customer-account.page.render";
import { render } from "preact";
import { APP_URL } from "./app-url";
import { accountClient, type AccountApi } from "./client";
import { RewardsPage } from "./rewards-page";

export default async () => {
  // The global is this target's Api; assigning it to AccountApi makes tsc check the narrow view the page uses.
  const api: AccountApi = shopify as unknown as Api;
  render(<RewardsPage api={api} client={accountClient(api, APP_URL)} />, document.body);
};
