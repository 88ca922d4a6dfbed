import { z } from "zod";

/**
 * Process configuration, read once from the environment.
 *
 * Misconfiguration must end in one readable line that names the variable, never in a
 * stack trace from deep inside a library, so every variable is validated here first.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

export interface AppConfig {
  production: boolean;
  port: number;
  host: string;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  scopes: string[];
  /** A postgres:// URL, or null to start the embedded PostgreSQL. */
  databaseUrl: string | null;
  /** Where the embedded PostgreSQL keeps its files. */
  dataDir: string;
  /** Proxies in front of the app that append the client's address to X-Forwarded-For. */
  trustedProxyHops: number;
  /** The embedded PostgreSQL's port (COMEBACK_DB_PORT); a free one when null. */
  embeddedDatabasePort: number | null;
  logLevel: string;
  /** Connections per instance (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /** How long an instance keeps a shop's settings (COMEBACK_SHOP_CACHE_MS; 0: not at all). */
  shopCacheMs: number;
  /** COMEBACK_JOBS=off: this instance runs no job workers. */
  jobsEnabled: boolean;
  shopCustomDomain?: string;
  /** SMTP_URL: smtp(s)://user:pass@host:port; lifecycle email is off without it. */
  smtpUrl: string | null;
  /** MAIL_FROM: the operator's sending address (its domain carries SPF, DKIM and DMARC). */
  mailFrom: string | null;
  /** Messages a shop may send per second (MAIL_RATE_PER_SECOND). */
  mailRatePerSecond: number;
  /** COMEBACK_STOREFRONT_URL: the store's address in email links, for the local demo; otherwise https://<shop domain>. */
  storefrontUrl: string | null;
}

/** The log level, for the logger that exists before the rest of the configuration. */
export function logLevelFrom(env: Env): string {
  return env.LOG_LEVEL?.trim() || (env.NODE_ENV === "production" ? "info" : "debug");
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

export const DEFAULT_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "read_products",
  "write_discounts",
  "read_discounts",
  "write_store_credit_account_transactions",
  "read_store_credit_accounts",
  "read_themes",
  "write_online_store_navigation",
];

const postgresUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  },
  { message: "must be a postgres:// or postgresql:// URL with a host, e.g. postgres://user@127.0.0.1:5432/comeback" },
);

function required(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, `is not set (${hint})`);
  return value;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === "production";

  const portText = env.PORT?.trim() || "3000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError("PORT", `must be a whole number from 0 to 65535, got "${portText}"`);
  }

  const apiKey = required(env, "SHOPIFY_API_KEY", "the client id of the app in the Partner Dashboard");
  const apiSecret = required(env, "SHOPIFY_API_SECRET", "the client secret of the app in the Partner Dashboard");

  const appUrlText = production
    ? required(env, "SHOPIFY_APP_URL", "the public https URL the app is served at")
    : env.SHOPIFY_APP_URL?.trim() || `http://localhost:${port}`;
  let appUrl: URL;
  try {
    appUrl = new URL(appUrlText);
  } catch {
    throw new ConfigError("SHOPIFY_APP_URL", `must be an absolute URL, got "${appUrlText}"`);
  }
  if (production && appUrl.protocol !== "https:") {
    throw new ConfigError("SHOPIFY_APP_URL", "must use https in production");
  }

  let databaseUrl: string | null = null;
  const databaseText = env.DATABASE_URL?.trim();
  if (databaseText) {
    const parsed = postgresUrl.safeParse(databaseText);
    if (!parsed.success) throw new ConfigError("DATABASE_URL", parsed.error.issues[0]!.message);
    databaseUrl = databaseText;
  }

  const embeddedPortText = env.COMEBACK_DB_PORT?.trim();
  const embeddedDatabasePort = embeddedPortText ? Number(embeddedPortText) : null;
  if (
    embeddedDatabasePort !== null &&
    (!Number.isInteger(embeddedDatabasePort) || embeddedDatabasePort < 1 || embeddedDatabasePort > 65535)
  ) {
    throw new ConfigError("COMEBACK_DB_PORT", `must be a port number from 1 to 65535, got "${embeddedPortText}"`);
  }

  // Production sits behind one load balancer by default; locally nothing is in front.
  const hopsText = env.TRUSTED_PROXY_HOPS?.trim() || (production ? "1" : "0");
  const trustedProxyHops = Number(hopsText);
  if (!Number.isInteger(trustedProxyHops) || trustedProxyHops < 0 || trustedProxyHops > 10) {
    throw new ConfigError("TRUSTED_PROXY_HOPS", `must be a whole number from 0 to 10, got "${hopsText}"`);
  }

  const smtpText = env.SMTP_URL?.trim() || null;
  if (smtpText) {
    let protocol = "";
    try {
      protocol = new URL(smtpText).protocol;
    } catch {
      throw new ConfigError("SMTP_URL", "must be a URL like smtp://user:password@host:587 or smtps://…:465");
    }
    if (protocol !== "smtp:" && protocol !== "smtps:")
      throw new ConfigError("SMTP_URL", `must start with smtp:// or smtps://, got "${protocol}"`);
  }
  const mailFrom = env.MAIL_FROM?.trim() || null;
  if (mailFrom && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(mailFrom))
    throw new ConfigError("MAIL_FROM", `must be an email address like loyalty@example.com, got "${mailFrom}"`);
  if (smtpText && !mailFrom) throw new ConfigError("MAIL_FROM", "is required with SMTP_URL (the sending address)");

  const scopes = (env.SCOPES?.trim() ? env.SCOPES.split(",") : DEFAULT_SCOPES)
    .map((scope) => scope.trim())
    .filter(Boolean);
  const badScope = scopes.find((scope) => !/^(unauthenticated_)?(read|write)_[a-z_]+$/.test(scope));
  if (badScope) throw new ConfigError("SCOPES", `"${badScope}" is not a Shopify access scope`);

  return {
    production,
    port,
    host: env.HOST?.trim() || (production ? "0.0.0.0" : "127.0.0.1"),
    appUrl: appUrl.origin,
    apiKey,
    apiSecret,
    scopes,
    databaseUrl,
    dataDir: env.COMEBACK_DATA_DIR?.trim() || ".data",
    embeddedDatabasePort,
    trustedProxyHops,
    logLevel: logLevelFrom(env),
    databasePoolSize: wholeNumber(env, "DATABASE_POOL_SIZE", 10, 1, 200),
    shopCacheMs: wholeNumber(env, "COMEBACK_SHOP_CACHE_MS", 5000, 0, 3_600_000),
    jobsEnabled: env.COMEBACK_JOBS?.trim() !== "off",
    shopCustomDomain: env.SHOP_CUSTOM_DOMAIN?.trim() || undefined,
    smtpUrl: smtpText,
    mailFrom,
    mailRatePerSecond: wholeNumber(env, "MAIL_RATE_PER_SECOND", 100, 1, 10_000),
    storefrontUrl: env.COMEBACK_STOREFRONT_URL?.trim().replace(/\/$/, "") || null,
  };
}

/** Redacts credentials from a database URL for logs and error messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
