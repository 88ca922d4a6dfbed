/**
 * The social networks a shop can ask shoppers to follow, and the hosts their profile
 * links live on, so a follow button can only open the network it names. VK and Telegram
 * matter to the Russian-speaking shops the program is written for.
 */
export const NETWORKS = {
  instagram: ["instagram.com"],
  tiktok: ["tiktok.com"],
  facebook: ["facebook.com", "fb.com"],
  youtube: ["youtube.com", "youtu.be"],
  x: ["x.com", "twitter.com"],
  vk: ["vk.com", "vk.ru"],
  telegram: ["t.me", "telegram.me"],
} as const satisfies Record<string, readonly string[]>;

export type Network = keyof typeof NETWORKS;
export const NETWORK_IDS = Object.keys(NETWORKS) as Network[];

export function isNetwork(value: unknown): value is Network {
  return typeof value === "string" && Object.hasOwn(NETWORKS, value);
}

/** The profile link as https, if it points at the network's own site; otherwise null. */
export function profileUrl(network: Network, input: string): string | null {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(input.trim()) ? input.trim() : `https://${input.trim()}`);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase().replace(/^(www|m)\./, "");
  const hosts: readonly string[] = NETWORKS[network];
  if (!hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) return null;
  if (url.pathname === "/" || url.username || url.password) return null;
  url.protocol = "https:";
  return url.toString().slice(0, 300);
}
