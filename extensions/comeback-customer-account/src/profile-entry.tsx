/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/customer-account.profile.block.render";
import { render } from "preact";
import { APP_URL } from "./app-url";
import { ProfileCard } from "./blocks";
import { accountClient, type AccountApi } from "./client";

export default async () => {
  const api: AccountApi = shopify as unknown as Api;
  render(<ProfileCard api={api} client={accountClient(api, APP_URL)} />, document.body);
};
