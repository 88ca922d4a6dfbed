import { LANGUAGES, type Language } from "./localized";

/**
 * The merchant's own questions on the loyalty landing page. The app answers the
 * program's questions itself (how to earn, when points expire) from the settings, so
 * those are never stale; these are for what only the merchant knows (returns, stacking
 * with sales, gift cards). Each text per language, the shop's default language required.
 */
export interface LandingFaq {
  question: Partial<Record<Language, string>>;
  answer: Partial<Record<Language, string>>;
}

export const MAX_FAQS = 10;
export const MAX_QUESTION = 200;
export const MAX_ANSWER = 1000;

function texts(value: unknown, max: number): Partial<Record<Language, string>> {
  const raw = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  return Object.fromEntries(
    LANGUAGES.flatMap((language) => {
      const text = raw[language];
      return typeof text === "string" && text.trim() ? [[language, text.trim().slice(0, max)]] : [];
    }),
  );
}

/** The stored JSON, keeping only well-formed entries (a hand-edited row cannot break the page). */
export function readLandingFaqs(value: unknown): LandingFaq[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => {
      const raw = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
      return { question: texts(raw.question, MAX_QUESTION), answer: texts(raw.answer, MAX_ANSWER) };
    })
    .filter((faq) => Object.keys(faq.question).length > 0 && Object.keys(faq.answer).length > 0)
    .slice(0, MAX_FAQS);
}

/**
 * The questions in one language: a text the merchant left empty in that language falls
 * back to the default language's, so a shopper never sees a question without its answer.
 */
export function faqsIn(
  faqs: LandingFaq[],
  language: Language,
  fallback: Language,
): Array<{ question: string; answer: string }> {
  return faqs.flatMap((faq) => {
    const question = faq.question[language] ?? faq.question[fallback];
    const answer = faq.answer[language] ?? faq.answer[fallback];
    return question && answer ? [{ question, answer }] : [];
  });
}
