import pino from "pino";

/**
 * Structured JSON logs. Secrets are redacted by path so that a careless
 * `logger.info({ session })` cannot leak a token.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "production" ? "info" : "debug"),
  base: { app: "comeback" },
  redact: {
    paths: [
      "accessToken",
      "*.accessToken",
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
});

export type Logger = typeof logger;
