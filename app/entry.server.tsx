import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import prisma from "./db.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { logger } from "./platform/logger.server";
import { runWebhookInbox } from "./shopify/webhook-inbox.server";

const STREAM_TIMEOUT_MS = 5000;

// Every instance applies the webhook deliveries acknowledged under load, its own and those
// a stopped instance left: started with the app, in the same module as the routes that
// record them.
const inbox = runWebhookInbox(prisma);

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        logger.error({ err: error }, "render error");
      },
    });
    setTimeout(abort, STREAM_TIMEOUT_MS + 1000);
  });
}

/** Errors thrown by loaders and actions: logged once, never shown as a stack trace. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  logger.error({ err: error, path: new URL(request.url).pathname }, "unhandled route error");
}

/** Called by the server on SIGTERM/SIGINT after it stops accepting requests. */
export async function shutdown(): Promise<void> {
  await inbox.stop();
  await prisma.$disconnect();
}
