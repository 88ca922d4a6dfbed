import { LANGUAGES, type Language } from "./localized";

/**
 * How the storefront widget looks, as the merchant sets it on the Branding page. It
 * travels to the storefront in the program metafield (`display`), where the theme
 * extension's Liquid turns it into CSS custom properties, classes and an inline icon, so
 * no script is needed to apply it. A theme editor setting, where the theme has one for
 * the same thing, overrides it there.
 */
export interface WidgetSettings {
  /** Launcher and buttons, #rrggbb. */
  accent: string;
  /** Text on the accent colour. */
  onAccent: string;
  position: "left" | "right";
  /** The launcher's icon, drawn inline by the extension (snippets/comeback-icon.liquid). */
  icon: LauncherIcon;
  /** The launcher's text for guests, per language; empty: the built-in text. */
  label: Partial<Record<Language, string>>;
  /** The panel's header: its colours, and an image behind the title (https only). */
  header: { background: string; text: string; image: string | null };
  sections: { rewards: boolean; earn: boolean; referral: boolean; history: boolean };
}

export const LAUNCHER_ICONS = ["star", "gift", "heart", "none"] as const;
export type LauncherIcon = (typeof LAUNCHER_ICONS)[number];

/** The longest launcher label: it must fit a phone's launcher on one line. */
export const LABEL_MAX = 40;
/** Far beyond any CDN address; a longer "URL" is not a link a merchant pasted. */
const IMAGE_URL_MAX = 2000;

export const DEFAULT_WIDGET: WidgetSettings = {
  accent: "#1f5f4a",
  onAccent: "#ffffff",
  position: "right",
  icon: "star",
  label: {},
  header: { background: "#1f5f4a", text: "#ffffff", image: null },
  sections: { rewards: true, earn: true, referral: true, history: true },
};

const COLOR = /^#[0-9a-f]{6}$/i;

export function isColor(value: unknown): value is string {
  return typeof value === "string" && COLOR.test(value);
}

/**
 * A header image's address as the storefront may use it, or null. Only https (a shop's
 * pages are https; anything else is blocked as mixed content or is not an image link),
 * with no credentials. The Liquid writes it into `url("…")` in a style attribute, so the
 * normalised address must hold no double quote, backslash or whitespace: WHATWG URL parsing
 * percent-encodes quotes and spaces, and what it leaves (a backslash in a query) is refused.
 */
export function headerImageUrl(value: unknown): string | null {
  if (typeof value !== "string" || !value.trim() || value.length > IMAGE_URL_MAX) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || !url.hostname.includes(".") || url.username || url.password) return null;
  return /["\\\s<>]/.test(url.href) ? null : url.href;
}

/** The stored JSON, with defaults for what is missing or malformed (older rows had other keys). */
export function readWidgetSettings(value: unknown): WidgetSettings {
  const raw = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const sections = (raw.sections && typeof raw.sections === "object" ? raw.sections : {}) as Record<string, unknown>;
  const labels = (raw.label && typeof raw.label === "object" ? raw.label : {}) as Record<string, unknown>;
  const flag = (key: keyof WidgetSettings["sections"], legacy?: unknown) =>
    typeof sections[key] === "boolean"
      ? (sections[key] as boolean)
      : typeof legacy === "boolean"
        ? legacy
        : DEFAULT_WIDGET.sections[key];
  const header = (raw.header && typeof raw.header === "object" ? raw.header : {}) as Record<string, unknown>;
  const legacyAccent = typeof raw.accent === "string" ? raw.accent : raw.accentColor;
  const accent = isColor(legacyAccent) ? legacyAccent.toLowerCase() : DEFAULT_WIDGET.accent;
  const onAccent = isColor(raw.onAccent) ? raw.onAccent.toLowerCase() : DEFAULT_WIDGET.onAccent;
  return {
    accent,
    onAccent,
    position: raw.position === "left" ? "left" : "right",
    icon: LAUNCHER_ICONS.includes(raw.icon as LauncherIcon) ? (raw.icon as LauncherIcon) : DEFAULT_WIDGET.icon,
    label: Object.fromEntries(
      LANGUAGES.flatMap((language) => {
        const text = labels[language];
        return typeof text === "string" && text.trim() ? [[language, text.trim().slice(0, LABEL_MAX)]] : [];
      }),
    ),
    // Before the Branding page the header wore the launcher's colours; shops that never
    // chose others keep them.
    header: {
      background: isColor(header.background) ? header.background.toLowerCase() : accent,
      text: isColor(header.text) ? header.text.toLowerCase() : onAccent,
      image: headerImageUrl(header.image),
    },
    sections: {
      rewards: flag("rewards"),
      earn: flag("earn"),
      referral: flag("referral", raw.showReferral),
      history: flag("history", raw.showHistory),
    },
  };
}

/**
 * WCAG's contrast ratio between two #rrggbb colours (1 to 21). The admin warns below 4.5,
 * the ratio normal text needs, so a merchant does not ship an unreadable launcher.
 */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}
