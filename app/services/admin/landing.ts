import type { Prisma } from "../../generated/prisma/client";
import { MAX_ANSWER, MAX_FAQS, MAX_QUESTION, readLandingFaqs, type LandingFaq } from "../../domain/landing-faq";
import { LANGUAGES, type Language } from "../../domain/localized";
import { inTransaction, type Db } from "../../platform/database/db";
import { invalidateShopContext, type ShopContext } from "../shop-context";
import { FormErrors, recordActivity, type Form } from "./forms";

/**
 * The loyalty landing page's own questions, as the merchant edits them: rows posted as
 * `q<i>_<language>` and `a<i>_<language>`. A row left entirely empty is dropped (that is
 * how a question is removed); any other row needs its question and answer in the shop's
 * default language. Every error is reported at once, and nothing is saved then.
 */
export async function saveLandingFaqs(db: Db, shop: ShopContext, form: Form, actor: string): Promise<LandingFaq[]> {
  const errors = new FormErrors();
  const languages = LANGUAGES.filter((l) => shop.settings.languages.includes(l));
  const fallback = (languages.find((l) => l === shop.settings.defaultLanguage) ?? languages[0] ?? "en") as Language;
  const rows = Number(form.rows);
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_FAQS) errors.add("form", "landing.faq.tooMany");
  const faqs: LandingFaq[] = [];
  for (let i = 0; i < Math.min(Number.isInteger(rows) ? rows : 0, MAX_FAQS); i++) {
    const faq: LandingFaq = { question: {}, answer: {} };
    for (const language of languages) {
      for (const [part, prefix, max] of [
        ["question", "q", MAX_QUESTION],
        ["answer", "a", MAX_ANSWER],
      ] as const) {
        const field = `${prefix}${i}_${language}`;
        const text = (form[field] ?? "").trim();
        if (text.length > max) errors.add(field, "validation.tooLong");
        else if (text) faq[part][language] = text;
      }
    }
    if (!Object.keys(faq.question).length && !Object.keys(faq.answer).length) continue;
    if (!faq.question[fallback]) errors.add(`q${i}_${fallback}`, "validation.required");
    if (!faq.answer[fallback]) errors.add(`a${i}_${fallback}`, "validation.required");
    faqs.push(faq);
  }
  errors.throwIfAny();
  try {
    await inTransaction(db, async (tx) => {
      const before = readLandingFaqs(
        (await tx.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id }, select: { landingFaqs: true } }))
          .landingFaqs,
      );
      await tx.shopSettings.update({
        where: { shopId: shop.id },
        data: { landingFaqs: faqs as unknown as Prisma.InputJsonValue },
      });
      const asked = (list: LandingFaq[]) => list.map((faq) => faq.question[fallback] ?? "").join(" · ") || null;
      if (JSON.stringify(before) !== JSON.stringify(faqs))
        await recordActivity(tx, shop.id, {
          actor,
          action: "landing.faqs",
          details: { questions: [asked(before), asked(faqs)] },
        });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
  return faqs;
}

/** The link the merchant added to a store menu, in the activity log. */
export async function recordMenuLink(db: Db, shop: ShopContext, actor: string, menu: string, title: string) {
  await db.activityLog.create({
    data: { shopId: shop.id, actor, action: "landing.menuLinked", details: { menu, title } },
  });
}
