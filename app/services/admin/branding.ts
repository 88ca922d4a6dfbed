import type { Prisma } from "../../generated/prisma/client";
import { inTransaction, type Db } from "../../platform/database/db";
import { LANGUAGES } from "../../domain/localized";
import {
  headerImageUrl,
  isColor,
  LABEL_MAX,
  LAUNCHER_ICONS,
  readWidgetSettings,
  type LauncherIcon,
  type WidgetSettings,
} from "../../domain/widget";
import { invalidateShopContext, type ShopContext } from "../shop-context";
import { changes, FormErrors, recordActivity, type Form } from "./forms";

/**
 * The Branding page: how the storefront widget looks (launcher, panel header, sections).
 * Every field is checked before anything is written, and every error is answered at
 * once; a save is one transaction with an activity entry listing each changed field by
 * the form's own name. The program metafield carries the result to the theme (the route
 * asks for a Shopify sync after the save).
 */

const SECTIONS = ["rewards", "earn", "referral", "history"] as const;
const sectionField = (section: (typeof SECTIONS)[number]) =>
  `show${section.charAt(0).toUpperCase()}${section.slice(1)}`;

/**
 * The settings as flat fields, so the activity log names each one the merchant touched
 * (app/components/activity-text.ts labels them with the form's own labels).
 */
export function brandingFields(widget: WidgetSettings): Record<string, string | boolean | null> {
  return {
    accent: widget.accent,
    onAccent: widget.onAccent,
    launcherPosition: widget.position,
    icon: widget.icon,
    ...Object.fromEntries(LANGUAGES.map((language) => [`label_${language}`, widget.label[language] ?? null])),
    headerBackground: widget.header.background,
    headerText: widget.header.text,
    headerImage: widget.header.image,
    ...Object.fromEntries(SECTIONS.map((section) => [sectionField(section), widget.sections[section]])),
  };
}

/** The posted form as settings, or a ValidationError with every field's error. */
export function brandingInput(form: Form): WidgetSettings {
  const errors = new FormErrors();
  const color = (field: string) => {
    const value = form[field]?.trim() ?? "";
    if (!isColor(value)) errors.add(field, "validation.color");
    return value.toLowerCase();
  };
  const accent = color("accent");
  const onAccent = color("onAccent");
  const background = color("headerBackground");
  const text = color("headerText");
  const position = form.position;
  if (position !== "left" && position !== "right") errors.add("position", "validation.invalid");
  const icon = form.icon as LauncherIcon;
  if (!LAUNCHER_ICONS.includes(icon)) errors.add("icon", "validation.invalid");
  const label: WidgetSettings["label"] = {};
  for (const language of LANGUAGES) {
    const value = form[`label_${language}`]?.trim() ?? "";
    if (value.length > LABEL_MAX) errors.add(`label_${language}`, "branding.validation.labelLength");
    else if (value) label[language] = value;
  }
  const rawImage = form.headerImage?.trim() ?? "";
  const image = rawImage ? headerImageUrl(rawImage) : null;
  if (rawImage && !image) errors.add("headerImage", "branding.validation.imageUrl");
  errors.throwIfAny();
  const checked = (field: string) => form[field] === "on" || form[field] === "true";
  return {
    accent,
    onAccent,
    position: position === "left" ? "left" : "right",
    icon,
    label,
    header: { background, text, image },
    sections: {
      rewards: checked("showRewards"),
      earn: checked("showEarn"),
      referral: checked("showReferral"),
      history: checked("showHistory"),
    },
  };
}

export async function saveBranding(db: Db, shop: ShopContext, form: Form, actor: string): Promise<void> {
  const widget = brandingInput(form);
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id }, select: { widget: true } });
      const diff = changes(brandingFields(readWidgetSettings(before.widget)), brandingFields(widget));
      if (!Object.keys(diff).length) return;
      await tx.shopSettings.update({
        where: { shopId: shop.id },
        data: { widget: widget as unknown as Prisma.InputJsonValue },
      });
      await recordActivity(tx, shop.id, { actor, action: "branding.updated", details: diff as Prisma.InputJsonValue });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}
