import pino, { type DestinationStream } from "pino";
import { logLevelFrom } from "./config.server";
import { scrubEmails } from "./personal-data.server";

/**
 * Structured JSON logs. Secrets are redacted by path so that a careless
 * `logger.info({ session })` cannot leak a token, and email addresses are masked in
 * every string, error messages and stacks included: database errors quote the values
 * that failed ("Key (email)=(…) already exists"), and logs outlive customers/redact.
 */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubEmails(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  // Formatters run before serializers: an Error's message and stack are not enumerable.
  if (value instanceof Error) return scrub(pino.stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, depth + 1)]));
}

export function createLogger(destination?: DestinationStream, level = logLevelFrom(process.env)) {
  return pino(
    {
      level,
      base: { app: "comeback" },
      redact: {
        paths: [
          "accessToken",
          "*.accessToken",
          "refreshToken",
          "*.refreshToken",
          "storefrontToken",
          "*.storefrontToken",
          "smtpUrl",
          "*.smtpUrl",
          "apiSecret",
          "*.apiSecret",
          "secret",
          "*.secret",
          "password",
          "*.password",
          "headers.authorization",
          "headers.cookie",
          "headers['x-shopify-hmac-sha256']",
          "*.headers.authorization",
          "*.headers.cookie",
        ],
        censor: "[redacted]",
      },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      // Errors are serialized by the formatter above, before their text is scrubbed.
      serializers: { err: (value: unknown) => value },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === "string" ? scrubEmails(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}

export const logger = createLogger();

export type Logger = typeof logger;
