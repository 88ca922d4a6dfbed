import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client";
import type { Db } from "../../platform/database/db";
import { inTransaction } from "../../platform/database/db";
import { LANGUAGES } from "../../domain/localized";
import { FLOW_TRIGGERS, isMessageKind, readTiming, type MessageKind } from "../../domain/messages";
import { invalidateShopContext, type ShopContext } from "../shop-context";
import { checkbox, FormErrors, int, NotFoundError, optionalText, recordActivity, type Form } from "./forms";

/**
 * The merchant's side of lifecycle email: each kind on or off with its timing, the
 * sender's name and Reply-To, whether account notices need consent, sending hours, and
 * the per-language templates (validated by the caller before they reach here).
 */

const mailSchema = z.object({
  mailSenderName: optionalText(80),
  mailReplyTo: optionalText(200).pipe(
    z.union([z.null(), z.string().regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, { error: "validation.email" })]),
  ),
  mailLogoUrl: optionalText(500).pipe(
    z.union([z.null(), z.string().regex(/^https:\/\/[^\s"<>]+$/, { error: "validation.httpsUrl" })]),
  ),
  noticesNeedConsent: checkbox,
  quietHoursEnd: int(0, 23),
  quietHoursStart: int(0, 23),
});

export async function saveMailSettings(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(mailSchema, form);
  errors.throwIfAny();
  await inTransaction(db, async (tx) => {
    await tx.shopSettings.update({ where: { shopId: shop.id }, data: input! });
    await recordActivity(tx, shop.id, { actor, action: "messages.settings", details: input as never });
  });
  invalidateShopContext({ id: shop.id });
}

function kindOf(value: string | undefined): MessageKind {
  if (!isMessageKind(value)) throw new NotFoundError("message kind");
  return value;
}

/** One kind's switch and timing. Days lists are "30, 7"; a win-back coupon must be a reward of this shop. */
export async function saveKindSetting(db: Db, shop: ShopContext, form: Form, actor: string) {
  const kind = kindOf(form.kind);
  const errors = new FormErrors();
  const enabled = form.enabled === "on" || form.enabled === "true";
  const viaFlow = Boolean(FLOW_TRIGGERS[kind]) && (form.viaFlow === "on" || form.viaFlow === "true");
  const timing: Record<string, unknown> = {};
  if (kind === "POINTS_EXPIRING") {
    const days = (form.days ?? "")
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(Number);
    if (days.length === 0 || days.length > 5 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 365))
      errors.add("days", "validation.daysList");
    timing.days = days;
  }
  if (kind === "WIN_BACK") {
    const after = int(7, 730).safeParse(form.afterDays ?? "");
    const then = int(1, 365).safeParse(form.thenDays ?? "");
    if (!after.success) errors.add("afterDays", "validation.range");
    if (!then.success) errors.add("thenDays", "validation.range");
    timing.afterDays = after.data;
    timing.thenDays = then.data;
    const coupon = form.couponRewardId?.trim() || null;
    if (coupon && !(await db.reward.findFirst({ where: { id: coupon, shopId: shop.id }, select: { id: true } })))
      errors.add("couponRewardId", "validation.invalid");
    timing.couponRewardId = coupon;
  }
  if (kind === "NPS") {
    const delay = int(0, 60).safeParse(form.delayDays ?? "");
    const points = int(0, 100_000).safeParse(form.points ?? "");
    if (!delay.success) errors.add("delayDays", "validation.range");
    if (!points.success) errors.add("points", "validation.range");
    timing.delayDays = delay.data;
    timing.points = points.data;
  }
  if (kind === "TIER_DOWNGRADE") {
    const before = int(1, 90).safeParse(form.daysBefore ?? "");
    if (!before.success) errors.add("daysBefore", "validation.range");
    timing.daysBefore = before.data;
  }
  errors.throwIfAny();
  const stored = readTiming(kind, timing) as unknown as Prisma.InputJsonValue;
  await inTransaction(db, async (tx) => {
    const before = await tx.messageSetting.findUnique({ where: { shopId_kind: { shopId: shop.id, kind } } });
    await tx.messageSetting.upsert({
      where: { shopId_kind: { shopId: shop.id, kind } },
      create: { shopId: shop.id, kind, enabled, viaFlow, timing: stored },
      // Switching a kind on starts it from now: nothing from while it was off is sent.
      update: {
        enabled,
        viaFlow,
        timing: stored,
        ...(enabled && before && !before.enabled ? { enabledAt: new Date() } : {}),
      },
    });
    await recordActivity(tx, shop.id, {
      actor,
      action: "messages.kind",
      subject: kind,
      details: { enabled, viaFlow, ...timing } as never,
    });
  });
}

/** Saves a kind's subject and body for each of the program's languages (already validated). */
export async function saveTemplates(
  db: Db,
  shop: ShopContext,
  kind: MessageKind,
  texts: Array<{ language: string; subject: string; body: string }>,
  actor: string,
) {
  await inTransaction(db, async (tx) => {
    for (const text of texts) {
      if (!(LANGUAGES as readonly string[]).includes(text.language)) continue;
      await tx.messageTemplate.upsert({
        where: { shopId_kind_locale: { shopId: shop.id, kind, locale: text.language } },
        create: { shopId: shop.id, kind, locale: text.language, subject: text.subject, body: text.body },
        update: { subject: text.subject, body: text.body },
      });
    }
    await recordActivity(tx, shop.id, { actor, action: "messages.template", subject: kind });
  });
}

export async function resetTemplate(db: Db, shop: ShopContext, kind: MessageKind, language: string, actor: string) {
  await inTransaction(db, async (tx) => {
    await tx.messageTemplate.deleteMany({ where: { shopId: shop.id, kind, locale: language } });
    await recordActivity(tx, shop.id, { actor, action: "messages.templateReset", subject: `${kind} ${language}` });
  });
}

/**
 * A test of a kind went out to the merchant: logged, as it is the plainest sign the
 * emails have been looked at (the home page's checklist reads it).
 */
export async function recordTestSend(db: Db, shop: ShopContext, kind: MessageKind, language: string, actor: string) {
  await recordActivity(db, shop.id, { actor, action: "messages.test", subject: `${kind} ${language}` });
}

/** A member's messages, newest first, for the member page. */
export function memberMessages(db: Db, shopId: string, memberId: string, take = 50) {
  return db.messageLog.findMany({
    where: { shopId, memberId },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      kind: true,
      status: true,
      skipReason: true,
      subject: true,
      createdAt: true,
      sentAt: true,
      openedAt: true,
      clickedAt: true,
      unsubscribedAt: true,
    },
  });
}

/** The rewards a win-back code can be made from. */
export function rewardChoices(db: Db, shopId: string) {
  return db.reward.findMany({
    where: { shopId, enabled: true },
    select: { id: true, name: true },
    orderBy: [{ trigger: "asc" }, { position: "asc" }],
  });
}
