import { hasMessage, type MessageKey } from "../i18n";

/**
 * An activity entry's details as sentences a merchant reads ("Grace before a downgrade
 * (days): 30 → 14"), not JSON. Details are either a diff of a form's fields (each value
 * [before, after]) or a few named values; known fields use the form's own labels.
 */

const FIELD_LABELS: Record<string, MessageKey> = {
  tierMetric: "program.tiers.metric",
  tierWindow: "program.tiers.window",
  tierGraceDays: "program.tiers.grace",
  tierCountsHistory: "tiers.countsHistory",
  points: "activity.field.points",
  reason: "activity.field.reason",
  until: "activity.field.until",
  via: "activity.field.via",
  file: "activity.field.file",
  created: "activity.field.created",
  updated: "activity.field.updated",
  skipped: "activity.field.skipped",
  orders: "activity.field.orders",
  members: "activity.field.members",
  questions: "activity.field.questions",
  menu: "activity.field.menu",
  title: "activity.field.title",
  // The Branding page (services/admin/branding.ts `brandingFields`).
  accent: "branding.accent",
  onAccent: "branding.onAccent",
  launcherPosition: "branding.position",
  icon: "branding.icon",
  label_en: "branding.activity.label_en",
  label_ru: "branding.activity.label_ru",
  headerBackground: "branding.headerBackground",
  headerText: "branding.headerText",
  headerImage: "branding.headerImage",
  showRewards: "branding.showRewards",
  showEarn: "branding.showEarn",
  showReferral: "branding.showReferral",
  showHistory: "branding.showHistory",
};

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

function label(field: string, t: T): string {
  const known = FIELD_LABELS[field];
  if (known) return t(known);
  // camelCase → "Camel case", for fields no label names yet.
  const words = field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function value(field: string, raw: unknown, t: T, names: Record<string, string>): string {
  if (raw === null || raw === undefined || raw === "") return "—";
  if (typeof raw === "boolean") return t(raw ? "activity.value.yes" : "activity.value.no");
  if (typeof raw === "string") {
    if (names[raw]) return names[raw];
    const enumKey = `${FIELD_LABELS[field] ?? ""}.${raw}`;
    if (FIELD_LABELS[field] && hasMessage(enumKey)) return t(enumKey);
    if (/^\d{4}-\d{2}-\d{2}T/.test(raw)) return raw.slice(0, 10);
    return raw;
  }
  // The admin's separators: "53,133", "53 133".
  if (typeof raw === "number") return t("activity.value.number", { value: raw });
  return JSON.stringify(raw);
}

/** `names` turns ids in the details (a tier's, a member's) into names. */
export function detailLines(details: unknown, t: T, names: Record<string, string> = {}): string[] {
  if (!details || typeof details !== "object") return [];
  return Object.entries(details as Record<string, unknown>)
    .filter(([field]) => field !== "exportId")
    .map(([field, raw]) => {
      const name = field === "tierId" ? t("activity.field.tier") : label(field, t);
      if (Array.isArray(raw) && raw.length === 2)
        return `${name}: ${value(field, raw[0], t, names)} → ${value(field, raw[1], t, names)}`;
      return `${name}: ${value(field, raw, t, names)}`;
    });
}

/** Who did it: a staff member by name where Shopify named them, the app's jobs, or Flow. */
export function actorLabel(actor: string, staff: Record<string, string>, t: T): string {
  const user = /^staff:(.+)$/.exec(actor)?.[1];
  if (user) return staff[user] ?? t("activity.actor.staff", { id: user });
  if (actor === "system") return t("activity.actor.system");
  if (actor === "flow") return t("activity.actor.flow");
  return actor;
}
