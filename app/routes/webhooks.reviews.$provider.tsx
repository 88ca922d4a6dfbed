import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveReviewWebhook } from "../integrations/reviews/receive.server";

export const action = ({ request, params }: ActionFunctionArgs) => receiveReviewWebhook(request, params.provider);
