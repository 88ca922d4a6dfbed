import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../shopify/webhooks.server";
import { ordersFulfilled } from "../shopify/webhook-handlers.server";

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, ordersFulfilled);
