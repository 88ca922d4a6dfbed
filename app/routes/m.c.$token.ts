import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { verifyLink } from "../integrations/email/links.server";
import { appConfig } from "../platform/runtime.server";
import { recordClick } from "../services/messages";

/**
 * GET /m/c/<token>?u=<url>: a tracked link. The token signs the message and the
 * destination together, so the redirect goes only where the message pointed.
 */
export const loader = async ({ params, request }: LoaderFunctionArgs) => {
  const url = new URL(request.url).searchParams.get("u") ?? "";
  const id = /^https?:\/\//.test(url) ? verifyLink(appConfig().apiSecret, "click", params.token ?? "", url) : null;
  if (!id) return new Response("This link is not valid.", { status: 400, headers: { "Content-Type": "text/plain" } });
  await recordClick(prisma, id);
  return new Response(null, {
    status: 302,
    headers: { Location: url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });
};
