import type { Db } from "../platform/database/db";
import { inTransaction } from "../platform/database/db";
import { FEEDBACK_PERIODS, SCORE_BANDS, netPromoterScore, npsBand, type ScoreBand } from "../domain/messages";
import { postEntry } from "./ledger";
import type { ShopContext } from "./shop-context";

/**
 * The NPS loop's answers: one response per order (a later click changes the score, not
 * the count), an optional comment, points for answering once per order when the shop
 * offers them, and the loyalty index computed from the responses.
 */

export interface SurveyAnswer {
  orderId: bigint;
  memberId: string | null;
  score: number;
  /** Points credited now (only on the first answer, when the shop offers them). */
  credited: number;
}

/** The survey message a signed link names, if it is this shop's. */
export async function surveyMessage(db: Db, shopId: string, messageId: string) {
  const log = await db.messageLog.findUnique({
    where: { id: messageId },
    select: { id: true, shopId: true, kind: true, memberId: true, context: true, locale: true },
  });
  if (!log || log.shopId !== shopId || log.kind !== "NPS") return null;
  const context = (log.context ?? {}) as { orderId?: string; points?: number };
  if (!context.orderId || !/^\d+$/.test(context.orderId)) return null;
  return { ...log, orderId: BigInt(context.orderId), points: Number(context.points ?? 0) };
}

/**
 * Reasons a survey email was not sent that still let the member answer on the store: the
 * panel is not email, so missing consent or address does not keep them from being asked.
 */
const ON_SITE_SKIPS = ["no_email", "no_consent", "unsubscribed", "suppressed", "via_flow"];
/** How long an unanswered survey stays on offer in the storefront panel. */
export const ON_SITE_SURVEY_DAYS = 30;

/**
 * The member's latest survey that is due and unanswered (no response for its order yet),
 * for the storefront panel; null when there is none.
 */
export async function openSurvey(db: Db, shopId: string, memberId: string, now = new Date()): Promise<string | null> {
  const since = new Date(now.getTime() - ON_SITE_SURVEY_DAYS * 86_400_000);
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT m.id FROM "MessageLog" m
    WHERE m."memberId" = ${memberId}::uuid AND m."shopId" = ${shopId}::uuid AND m.kind = 'NPS'
      AND m."createdAt" >= ${since} AND m."sendAfter" <= ${now}
      AND (m.status = 'SENT' OR (m.status = 'SKIPPED' AND m."skipReason" = ANY(${ON_SITE_SKIPS})))
      AND NOT EXISTS (
        SELECT 1 FROM "Feedback" f
        WHERE f."shopId" = m."shopId" AND f."orderId" = (m.context->>'orderId')::bigint)
    ORDER BY m."sendAfter" DESC
    LIMIT 1`;
  return rows[0]?.id ?? null;
}

export async function recordSurveyAnswer(
  db: Db,
  shop: ShopContext,
  survey: NonNullable<Awaited<ReturnType<typeof surveyMessage>>>,
  score: number,
): Promise<SurveyAnswer> {
  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`
      INSERT INTO "Feedback" (id, "shopId", "memberId", "orderId", score)
      VALUES (gen_random_uuid(), ${shop.id}::uuid, ${survey.memberId}::uuid, ${survey.orderId}, ${score})
      ON CONFLICT ("shopId", "orderId") DO UPDATE SET score = EXCLUDED.score`;
    await tx.messageLog.updateMany({ where: { id: survey.id, clickedAt: null }, data: { clickedAt: new Date() } });
    let credited = 0;
    if (survey.points > 0 && survey.memberId) {
      const member = await tx.member.findUnique({ where: { id: survey.memberId }, select: { status: true } });
      if (member?.status === "ACTIVE") {
        const entry = await postEntry(tx, {
          shopId: shop.id,
          memberId: survey.memberId,
          points: survey.points,
          kind: "EARN",
          source: "BONUS",
          reason: { code: "survey", params: {} },
          idempotencyKey: `nps:${survey.orderId}`,
        });
        if (entry.created) credited = survey.points;
      }
    }
    return { orderId: survey.orderId, memberId: survey.memberId, score, credited };
  });
}

export async function saveSurveyComment(db: Db, shopId: string, orderId: bigint, comment: string): Promise<boolean> {
  const updated = await db.feedback.updateMany({
    where: { shopId, orderId },
    data: { comment: comment.trim().slice(0, 1000) || null },
  });
  return updated.count > 0;
}

export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
}

function summarize(scores: number[]): NpsSummary {
  const counts = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) counts[`${npsBand(score)}s` as keyof typeof counts]++;
  return { responses: scores.length, ...counts, nps: netPromoterScore(counts) };
}

/**
 * The loyalty index for responses in [from, to): overall, members against guests, by the
 * member's current tier, and week by week.
 */
export async function npsReport(db: Db, shop: ShopContext, from: Date, to: Date) {
  const rows = await db.$queryRaw<Array<{ score: number; member: boolean; tierId: string | null; week: Date }>>`
    SELECT f.score, f."memberId" IS NOT NULL AS member, m."tierId", date_trunc('week', f."createdAt") AS week
    FROM "Feedback" f LEFT JOIN "Member" m ON m.id = f."memberId"
    WHERE f."shopId" = ${shop.id}::uuid AND f."createdAt" >= ${from} AND f."createdAt" < ${to}`;
  const weeks = new Map<string, number[]>();
  for (const row of rows) {
    const key = row.week.toISOString().slice(0, 10);
    weeks.set(key, [...(weeks.get(key) ?? []), row.score]);
  }
  return {
    overall: summarize(rows.map((r) => r.score)),
    members: summarize(rows.filter((r) => r.member).map((r) => r.score)),
    guests: summarize(rows.filter((r) => !r.member).map((r) => r.score)),
    tiers: shop.tiers.map((tier) => ({
      tierId: tier.id,
      ...summarize(rows.filter((r) => r.tierId === tier.id).map((r) => r.score)),
    })),
    weekly: [...weeks.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([week, scores]) => ({ week, ...summarize(scores) })),
  };
}

/** The Feedback page's filters (and its CSV export's): period in days, score band, tier. */
export function feedbackFilters(params: URLSearchParams, now = new Date()) {
  const asked = Number(params.get("days"));
  const days = (FEEDBACK_PERIODS as readonly number[]).includes(asked) ? asked : 90;
  const band = params.get("band");
  return {
    days,
    filters: {
      from: new Date(now.getTime() - days * 86_400_000),
      to: now,
      band: (SCORE_BANDS as readonly string[]).includes(band ?? "") ? (band as ScoreBand) : null,
      tierId: params.get("tier") || null,
    } satisfies FeedbackFilters,
  };
}
const BAND_RANGE: Record<ScoreBand, [number, number]> = { promoter: [9, 10], passive: [7, 8], detractor: [0, 6] };

export interface FeedbackFilters {
  from: Date;
  to: Date;
  band?: ScoreBand | null;
  tierId?: string | null;
}

const FEEDBACK_SELECT = {
  id: true,
  score: true,
  comment: true,
  createdAt: true,
  orderId: true,
  member: { select: { id: true, email: true, firstName: true, tierId: true } },
} as const;

function feedbackWhere(shopId: string, filters: FeedbackFilters) {
  const range = filters.band ? BAND_RANGE[filters.band] : null;
  return {
    shopId,
    createdAt: { gte: filters.from, lt: filters.to },
    ...(range ? { score: { gte: range[0], lte: range[1] } } : {}),
    ...(filters.tierId ? { member: { tierId: filters.tierId } } : {}),
  };
}

/** A position in the list: the answer's time and id ("<ms>.<uuid>"), newest first. */
type Cursor = { at: Date; id: string };
const encodeCursor = (row: { createdAt: Date; id: string }) => `${row.createdAt.getTime()}.${row.id}`;
function decodeCursor(value: string | null | undefined): Cursor | null {
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(value ?? "");
  return match ? { at: new Date(Number(match[1])), id: match[2]! } : null;
}

/**
 * One page of responses matching the filters, newest first, by keyset (stable while new
 * answers arrive): `after` pages on to older answers, `before` back to newer ones. With
 * the total, so the page can say where the reader is.
 */
export async function feedbackPage(
  db: Db,
  shopId: string,
  filters: FeedbackFilters,
  page: { after?: string | null; before?: string | null; take?: number; count?: boolean } = {},
) {
  const take = page.take ?? 50;
  const where = feedbackWhere(shopId, filters);
  const after = decodeCursor(page.after);
  const before = after ? null : decodeCursor(page.before);
  const edge = after ?? before;
  const beyond = edge
    ? {
        OR: [
          { createdAt: after ? { lt: edge.at } : { gt: edge.at } },
          { createdAt: edge.at, id: after ? { lt: edge.id } : { gt: edge.id } },
        ],
      }
    : {};
  const direction = before ? "asc" : "desc";
  const [found, total] = await Promise.all([
    db.feedback.findMany({
      where: { AND: [where, beyond] },
      orderBy: [{ createdAt: direction }, { id: direction }],
      take: take + 1,
      select: FEEDBACK_SELECT,
    }),
    page.count === false ? null : db.feedback.count({ where }),
  ]);
  const more = found.length > take;
  const rows = found.slice(0, take);
  if (before) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    total,
    // Older answers exist past the last row when this page came from the top or was cut short.
    next: last && (before ? true : more) ? encodeCursor(last) : null,
    previous: first && (before ? more : Boolean(after)) ? encodeCursor(first) : null,
  };
}

/** Every response matching the filters, newest first, read in batches (the CSV export streams them). */
export async function* allFeedback(db: Db, shopId: string, filters: FeedbackFilters, batch = 1000) {
  let after: string | null = null;
  do {
    const page = await feedbackPage(db, shopId, filters, { after, take: batch, count: false });
    yield* page.rows;
    after = page.next;
  } while (after);
}

/** Detractors who answered since `since` (the admin's alert). */
export function recentDetractors(db: Db, shopId: string, since: Date) {
  return db.feedback.count({ where: { shopId, score: { lte: 6 }, createdAt: { gte: since } } });
}
