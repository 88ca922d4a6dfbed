import type { LoaderFunctionArgs } from "@remix-run/node";
import { isbot } from "isbot";
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
  // Mail scanners and link previews that say what they are: not a click, and never sent on
  // to a one-click answer (an NPS score), which they would otherwise record for the reader.
  const scanner = isbot(request.headers.get("user-agent") ?? "");
  if (!scanner) await recordClick(prisma, id);
  const location = scanner && new URL(url).pathname.endsWith("/nps") ? new URL("/", url).toString() : url;
  return new Response(null, {
    status: 302,
    headers: { Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });
};
