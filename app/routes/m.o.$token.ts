import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { verifyLink } from "../integrations/email/links.server";
import { appConfig } from "../platform/runtime.server";
import { recordOpen } from "../services/messages";

/**
 * GET /m/o/<token>.gif: a message's open pixel. Opens are an estimate: Apple Mail
 * Privacy Protection loads every image, blocked images load none.
 */
const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const token = (params.token ?? "").replace(/\.gif$/, "");
  const id = verifyLink(appConfig().apiSecret, "open", token);
  if (id) await recordOpen(prisma, id);
  return new Response(GIF, {
    headers: {
      "Content-Type": "image/gif",
      "Cache-Control": "no-store, private",
      "Content-Length": String(GIF.length),
    },
  });
};
