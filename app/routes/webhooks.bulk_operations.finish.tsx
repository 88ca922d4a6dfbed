import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../shopify/webhooks.server";
import { bulkOperationsFinish } from "../shopify/webhook-handlers.server";

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, bulkOperationsFinish);
