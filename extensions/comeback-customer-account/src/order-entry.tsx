/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/customer-account.order-status.block.render";
import { render } from "preact";
import { APP_URL } from "./app-url";
import { OrderPointsBlock } from "./blocks";
import { accountClient, type AccountApi } from "./client";

export default async () => {
  const api = shopify as unknown as Api;
  const account: AccountApi = api;
  render(
    <OrderPointsBlock api={account} client={accountClient(account, APP_URL)} orderId={api.order.value?.id} />,
    document.body,
  );
};
