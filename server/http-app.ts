import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { ViteDevServer } from "vite";

/**
 * Body limits by path prefix. Shopify's webhooks and App Proxy bodies are small; a large
 * body there is an attack or a mistake and is refused before anything reads it.
 */
const BODY_LIMITS: Array<[prefix: string, bytes: number]> = [
  ["/webhooks/", 1024 * 1024],
  ["/proxy/", 64 * 1024],
  ["/api/", 256 * 1024],
];
const DEFAULT_BODY_LIMIT = 25 * 1024 * 1024;

function bodyLimit(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const limit = BODY_LIMITS.find(([prefix]) => req.path.startsWith(prefix))?.[1] ?? DEFAULT_BODY_LIMIT;
  const lengthHeader = req.headers["content-length"];
  if (lengthHeader === undefined) {
    if (limit !== DEFAULT_BODY_LIMIT && req.headers["transfer-encoding"]) {
      res.status(411).json({ error: "length_required", message: "Send the body with a Content-Length header" });
      return;
    }
    return next();
  }
  const length = Number(lengthHeader);
  if (!Number.isFinite(length) || length < 0) {
    res.status(400).json({ error: "bad_content_length", message: "Content-Length must be a number of bytes" });
    return;
  }
  if (length > limit) {
    res.status(413).json({ error: "payload_too_large", message: `Body is ${length} bytes; the limit here is ${limit}` });
    return;
  }
  next();
}

export function createHttpApp(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  vite?: ViteDevServer;
  mode: string;
  /** Middleware ahead of the app's routes (the local demo's, never production's). */
  before?: (app: Express) => void;
}) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);
  app.use(bodyLimit);

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
  app.all("*", createRequestHandler({ build: options.build as ServerBuild, mode: options.mode }));
  return app;
}
