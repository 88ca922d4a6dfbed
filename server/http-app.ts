import express, { type Express, type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import type { ViteDevServer } from "vite";
import { CLIENT_ADDRESS_HEADER } from "../app/platform/client-address";
import { bodyLimitFor, ByteLimit, PayloadTooLargeError, routePath } from "./body-limit";

/**
 * The HTTP entry point: Express for static files and the Remix app behind it.
 *
 * Remix is reached through our own small bridge (what @remix-run/express does, in a few
 * lines) rather than that package's handler, for two reasons about safety, not style:
 * - the request body reaches the app through a byte counter that stops reading at the
 *   route's limit (see body-limit.ts), whatever the request claims about its length;
 * - the client's address is the one the trusted proxies report (`trustProxyHops`), handed
 *   to the app in a header that the client cannot set.
 */

export function createHttpApp(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  vite?: ViteDevServer;
  mode: string;
  /** How many proxies in front of the app append to X-Forwarded-For (0: none, trust nothing). */
  trustProxyHops: number;
  /** Middleware ahead of the app's routes (the local demo's, never production's). */
  before?: (app: Express) => void;
}) {
  const app = express();
  app.disable("x-powered-by");
  // A number: Express takes the address that many hops from the right of
  // X-Forwarded-For (what our own proxies appended), never the client-chosen leftmost.
  app.set("trust proxy", options.trustProxyHops);

  // A route with no work behind it: the benchmarks' baseline in the same process.
  app.get("/__bare", (_req, res) => {
    res.type("text/plain").send("ok");
  });

  if (options.vite) {
    app.use(options.vite.middlewares);
  } else {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
  }

  options.before?.(app);
  app.all("*", remixHandler(options.build as ServerBuild, options.mode));
  return app;
}

/** How long a refused client may keep sending (discarded) before the connection is cut. */
const LINGER_MS = 2000;

function refuse(res: ExpressResponse, status: number, body: Record<string, unknown>) {
  res.status(status).json(body);
  // A lingering close, as web servers do: what the client is still sending is read and
  // thrown away for a moment, so it receives this answer rather than a connection reset
  // (closing at once would reset the connection under its unread answer), then the
  // connection is cut. Nothing is kept, so memory does not grow.
  const req = res.req;
  req.unpipe();
  req.on("data", () => {});
  req.resume();
  const cut = setTimeout(() => req.socket.destroy(), LINGER_MS);
  cut.unref();
  req.once("end", () => clearTimeout(cut));
}

/**
 * Remix flattens and ranks the whole route tree to match each request: in a profile of
 * webhook ingest that was a seventh of the CPU time. Webhooks and App Proxy calls come in
 * volume and only ever match routes of their own family (every route is a child of the
 * root, and none above them is a splat), so they are matched against a build that holds
 * just that family and the root. The answer is the same; the matching is a few routes long.
 */
const FAMILIES = ["webhooks", "proxy"];

function familyHandlers(build: ServerBuild | (() => Promise<ServerBuild>), mode: string) {
  const all = createRequestHandler(build, mode);
  // In development the build is reloaded on each change: match against all of it.
  if (typeof build === "function") return () => all;
  const handlers = new Map(
    FAMILIES.map((family) => {
      const routes = Object.fromEntries(
        Object.entries(build.routes).filter(
          ([id, route]) => id === "root" || route.path === family || route.path?.startsWith(`${family}/`),
        ),
      );
      return [family, createRequestHandler({ ...build, routes }, mode)];
    }),
  );
  return (path: string) => handlers.get(path.split("/", 2)[1] ?? "") ?? all;
}

function remixHandler(build: ServerBuild, mode: string) {
  const handlerFor = familyHandlers(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: (error?: unknown) => void) => {
    const handle = handlerFor(req.path);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    let limiter: ByteLimit | null = null;
    if (hasBody) {
      const path = routePath(req.originalUrl);
      if (path === null) return refuse(res, 400, { error: "bad_path", message: "The request path is not valid" });
      const limit = bodyLimitFor(path);
      const declared = req.headers["content-length"];
      if (declared !== undefined && !/^\d{1,15}$/.test(declared)) {
        return refuse(res, 400, { error: "bad_content_length", message: "Content-Length must be a number of bytes" });
      }
      if (declared !== undefined && Number(declared) > limit) {
        return refuse(res, 413, {
          error: "payload_too_large",
          message: `Body is ${declared} bytes; the limit here is ${limit}`,
        });
      }
      limiter = new ByteLimit(limit);
      limiter.once("error", (error) => {
        req.unpipe(limiter!);
        req.pause();
        if (error instanceof PayloadTooLargeError && !res.headersSent) {
          refuse(res, 413, { error: "payload_too_large", message: `The body is over the limit here (${limit} bytes)` });
        }
      });
      // A client that hangs up mid-body must not leave the route waiting for the rest.
      req.once("close", () => {
        if (!req.complete) limiter!.destroy(new Error("the client closed the connection before the body ended"));
      });
      req.pipe(limiter);
    }
    try {
      const request = remixRequest(req, res, limiter);
      const response = await handle(request);
      // Over the limit: the 413 went out already, whatever the route made of its broken body.
      if (limiter?.exceeded) return;
      await sendResponse(res, response);
    } catch (error) {
      if (limiter?.exceeded) return;
      next(error);
    }
  };
}

function fetchHeaders(incoming: ExpressRequest["headers"]): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // append, not set: a response may carry several Set-Cookie headers.
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** The Fetch API request Remix routes see, built as @remix-run/express builds it. */
function remixRequest(req: ExpressRequest, res: ExpressResponse, body: ByteLimit | null): Request {
  const forwardedPort = req.get("X-Forwarded-Host")?.split(":")[1];
  const hostPort = req.get("host")?.split(":")[1];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = fetchHeaders(req.headers);
  headers.set(CLIENT_ADDRESS_HEADER, req.ip ?? req.socket.remoteAddress ?? "unknown");

  // Abort loaders and actions once no response can be written (closed before finished).
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return new Request(url.href, {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(body ? { body: createReadableStreamFromReadable(body), duplex: "half" } : {}),
  } as RequestInit);
}
