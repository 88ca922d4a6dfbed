import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../shopify/webhooks.server";
import { customersEmailConsentUpdate } from "../shopify/webhook-handlers.server";

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, customersEmailConsentUpdate);
