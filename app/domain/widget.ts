import { LANGUAGES, type Language } from "./localized";

/**
 * How the storefront widget looks, as the merchant sets it in the admin. It travels to
 * the storefront in the program metafield; a theme editor setting, where the theme has
 * one for the same thing, overrides it there.
 */
export interface WidgetSettings {
  /** Launcher and buttons, #rrggbb. */
  accent: string;
  /** Text on the accent colour. */
  onAccent: string;
  position: "left" | "right";
  /** The launcher's text for guests, per language; empty: the built-in text. */
  label: Partial<Record<Language, string>>;
  sections: { rewards: boolean; earn: boolean; referral: boolean; history: boolean };
}

export const DEFAULT_WIDGET: WidgetSettings = {
  accent: "#1f5f4a",
  onAccent: "#ffffff",
  position: "right",
  label: {},
  sections: { rewards: true, earn: true, referral: true, history: true },
};

const COLOR = /^#[0-9a-f]{6}$/i;

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
  const accent = typeof raw.accent === "string" ? raw.accent : raw.accentColor;
  return {
    accent: typeof accent === "string" && COLOR.test(accent) ? accent.toLowerCase() : DEFAULT_WIDGET.accent,
    onAccent:
      typeof raw.onAccent === "string" && COLOR.test(raw.onAccent)
        ? raw.onAccent.toLowerCase()
        : DEFAULT_WIDGET.onAccent,
    position: raw.position === "left" ? "left" : "right",
    label: Object.fromEntries(
      LANGUAGES.flatMap((language) => {
        const text = labels[language];
        return typeof text === "string" && text.trim() ? [[language, text.trim().slice(0, 40)]] : [];
      }),
    ),
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
