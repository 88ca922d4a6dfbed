import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What a running demo tells its helper commands (`demo:webhook`, `demo:jobs`): where the
 * app, the storefront and the database are, and the secret it signs with. Written by
 * `npm run demo` into its data folder at start, readable by its user only.
 */
export interface DemoState {
  appUrl: string;
  storefrontUrl: string;
  secret: string;
  shop: string;
  databaseUrl: string;
  standinUrl: string;
  /** Where the demo's mail goes (its local SMTP server), and where its links point. */
  smtpUrl: string;
  mailFrom: string;
  storefrontPublicUrl: string;
  pid: number;
}

export const DEMO_STATE_FILE = "demo.json";

/** The running demo's state; environment variables (PORT, SHOPIFY_API_SECRET) win over it. */
export function readDemoState(): DemoState | null {
  const file = join(process.env.COMEBACK_DATA_DIR || join(".data", "demo"), DEMO_STATE_FILE);
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, "utf8")) as DemoState;
  try {
    process.kill(state.pid, 0);
  } catch {
    return null; // That demo is not running any more.
  }
  return state;
}
