import type { Express, NextFunction, Request, Response } from "express";
import { mintSessionToken } from "../shopify-standin/session-token";

/**
 * Opens the embedded admin pages in a plain browser, as the demo shop's staff.
 *
 * Inside Shopify admin, App Bridge adds a fresh session token to every request. Here
 * the demo adds one instead, signed with the demo's own secret, so the app's real
 * `authenticate.admin` runs unchanged: nothing in the app trusts anything less. This
 * file is loaded only by `npm run demo` (never by server/index.ts, so never by the
 * production build; a test checks the build for DEMO_ADMIN_MARKER), and only for
 * requests from this machine.
 */
export const DEMO_ADMIN_MARKER = "x-comeback-demo-admin";

const ADMIN_PATH = /^\/(app|auth)(\/|\.data$|$)/;
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function demoAdminAccess(options: { shop: string; apiKey: string; secret: string; staffId?: string }) {
  return (app: Express) => {
    app.use((req: Request, res: Response, next: NextFunction) => {
      // The admin's pages and their data requests: Remix's single fetch asks for the
      // index route's data at /app.data, which a "/app" mount path would not match.
      if (!ADMIN_PATH.test(req.path)) return next();
      if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
        res.status(403).type("text/plain").send("The demo admin is only reachable from this machine.");
        return;
      }
      if (!req.headers.authorization) {
        req.headers.authorization = `Bearer ${mintSessionToken({ shop: options.shop, apiKey: options.apiKey, secret: options.secret, sub: options.staffId ?? "1" })}`;
        req.headers[DEMO_ADMIN_MARKER] = "1";
      }
      next();
    });
  };
}
