import { createHash } from "node:crypto";
import { pipeline, Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import {
  detectDelimiter,
  detectFormat,
  IMPORT_FIELDS,
  importFormat,
  mappingComplete,
  readRow,
  type ColumnMapping,
  type ImportedRow,
} from "../domain/member-import";
import { localizedName } from "../domain/localized";
import { isUuid } from "../domain/validation";
import { Prisma } from "../generated/prisma/client";
import { requestJob } from "../platform/job-queue.server";
import { inTransaction, type Db } from "../platform/database/db";
import { analyticsChanged } from "./analytics";
import { postSelectedEntries } from "./ledger";
import { generateReferralCode } from "./members";
import type { ShopContext } from "./shop-context";

/**
 * Members brought over from another loyalty app, from a CSV file:
 * 1. the upload is streamed row by row into MemberImportRow (never held whole), its
 *    encoding (UTF-8, or Windows-1251 as Excel saves Russian) and separator sniffed, its
 *    format told by its header;
 * 2. each row is read and checked: the report lists every error by line, and the dry run
 *    counts what the import would do;
 * 3. the import runs as a job in batches that instances share, with progress: members are
 *    found by Shopify customer id or email (looked up in Shopify, or created there if the
 *    merchant chose), balances enter the ledger as IMPORT entries keyed by the file's hash
 *    and the customer, so the same file imported twice adds nothing.
 */

export const IMPORT_QUEUE = "member-import";
/** Larger files are refused: split them (the server stops reading at this size). */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 1_000_000;
const STAGE_BATCH = 500;
/** How long an imported VIP tier is kept before the program's own rules decide again. */
const IMPORTED_TIER_DAYS = 365;

export class ImportRefused extends Error {
  constructor(
    readonly code: "too_large" | "too_many_rows" | "empty" | "not_csv",
    message: string,
  ) {
    super(message);
  }
}

/** The first bytes as UTF-8 if they are, else Windows-1251 (the ANSI code page Excel uses for Russian). */
function sniffEncoding(head: Uint8Array): "utf-8" | "windows-1251" {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return "utf-8";
  } catch {
    return "windows-1251";
  }
}

async function* limited(source: AsyncIterable<Uint8Array>, maxBytes: number, hash: ReturnType<typeof createHash>) {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes)
      throw new ImportRefused(
        "too_large",
        `The file is over ${maxBytes / 1024 / 1024} MB: split it and import each part.`,
      );
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Reads an uploaded file into a new import. Returns its id; a file that is not a CSV
 * (or breaks off mid-quote) becomes a FAILED import whose report says where.
 */
export async function stageImport(
  db: Db,
  shop: ShopContext,
  upload: { filename: string; data: AsyncIterable<Uint8Array>; actor: string; createMissing: boolean },
  options: { maxBytes?: number; maxRows?: number } = {},
): Promise<string> {
  const hash = createHash("sha256");
  const source = limited(upload.data, options.maxBytes ?? IMPORT_MAX_BYTES, hash)[Symbol.asyncIterator]();
  // Sniff from the first 64 KB, then hand on everything read.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 64 * 1024) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  const first = Buffer.concat(head);
  if (first.byteLength === 0) throw new ImportRefused("empty", "The file is empty.");
  if (first.includes(0)) throw new ImportRefused("not_csv", "This is not a CSV file (it holds binary data).");
  const encoding = sniffEncoding(first);
  const decoder = new TextDecoder(encoding);
  const delimiter = detectDelimiter(decoder.decode(first.subarray(0, 8192), { stream: true }));
  const text = new TextDecoder(encoding);
  async function* decoded() {
    for (const chunk of head) yield text.decode(chunk, { stream: true });
    if (!done)
      for (let next = await source.next(); !next.done; next = await source.next())
        yield text.decode(next.value, { stream: true });
    yield text.decode();
  }
  const parser = parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  // pipeline, not pipe: a failure of the upload (too large, cut off) ends the parser's
  // iteration below with that error instead of leaving it waiting.
  pipeline(Readable.from(decoded()), parser, () => undefined);

  const created = await db.memberImport.create({
    data: {
      shopId: shop.id,
      filename: upload.filename.slice(0, 200),
      fileHash: "",
      encoding,
      delimiter,
      format: "generic",
      header: [],
      status: "FAILED",
      createMissing: upload.createMissing,
      actor: upload.actor,
      error: "The upload did not finish.",
    },
  });
  const id = created.id;
  let header: string[] | null = null;
  let rows = 0;
  let batch: Array<{ line: number; cells: string[] }> = [];
  // One statement with two array parameters per batch: Prisma's createMany keeps about
  // 2 MB per 1,000-row batch in a cache of recent queries, this about a quarter of that.
  const flush = async () => {
    if (batch.length)
      await db.$executeRaw`
        INSERT INTO "MemberImportRow" ("importId", line, cells)
        SELECT ${id}::uuid, v.line, string_to_array(v.cells, chr(31))
        FROM unnest(${batch.map((row) => row.line)}::int[], ${batch.map((row) => row.cells.join("\u001f"))}::text[])
          AS v(line, cells)`;
    batch = [];
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((cell) => cell.trim());
        continue;
      }
      if (record.every((cell) => cell.trim() === "")) continue;
      rows += 1;
      if (rows > (options.maxRows ?? IMPORT_MAX_ROWS))
        throw new ImportRefused(
          "too_many_rows",
          `The file has over ${options.maxRows ?? IMPORT_MAX_ROWS} rows: split it.`,
        );
      // Cells are capped so one absurd cell cannot bloat the staging table; the unit
      // separator joins them on the way in.
      batch.push({ line: info.lines, cells: record.map((cell) => cell.replace(/\u001f/g, " ").slice(0, 500)) });
      if (batch.length >= STAGE_BATCH) await flush();
    }
    await flush();
  } catch (error) {
    if (error instanceof ImportRefused) {
      await db.memberImport.delete({ where: { id } });
      throw error;
    }
    const where = error instanceof CsvError && error.lines ? ` (line ${error.lines})` : "";
    await db.memberImport.update({
      where: { id },
      data: {
        fileHash: hash.digest("hex"),
        error: `The file could not be read as CSV${where}: ${(error as Error).message}`,
      },
    });
    return id;
  }
  if (!header) {
    await db.memberImport.delete({ where: { id } });
    throw new ImportRefused("empty", "The file has no header row.");
  }
  const { format, mapping } = detectFormat(header);
  await db.memberImport.update({
    where: { id },
    data: {
      fileHash: hash.digest("hex"),
      header,
      format,
      mapping,
      rows,
      status: "NEEDS_MAPPING",
      error: null,
    },
  });
  if (mappingComplete(mapping) && format !== "generic") await validateImport(db, shop, id, mapping);
  return id;
}

/** A tier named in the file, matched to the shop's by any of its names, case and spaces aside. */
function tierMatcher(shop: ShopContext) {
  const byName = new Map<string, string>();
  const key = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");
  for (const tier of shop.tiers) {
    byName.set(key(tier.name), tier.id);
    for (const language of ["en", "ru"] as const)
      byName.set(key(localizedName(tier.name, tier.names, language)), tier.id);
  }
  return (name: string | null) => (name ? (byName.get(key(name)) ?? null) : null);
}

/**
 * Reads every staged row with the mapping and records its fields and errors: a re-run
 * (a corrected mapping) starts over. Duplicates (the same customer twice) keep the first.
 */
export async function validateImport(db: Db, shop: ShopContext, importId: string, mapping: ColumnMapping) {
  const job = await db.memberImport.findFirst({ where: { id: importId, shopId: shop.id } });
  if (!job || !["NEEDS_MAPPING", "VALIDATED"].includes(job.status)) return false;
  const tier = tierMatcher(shop);
  let after = 0;
  for (;;) {
    const staged = await db.memberImportRow.findMany({
      where: { importId, line: { gt: after } },
      orderBy: { line: "asc" },
      take: 2000,
      select: { line: true, cells: true },
    });
    if (staged.length === 0) break;
    after = staged.at(-1)!.line;
    const read = staged.map((row) => {
      const fields: ImportedRow = readRow(row.cells, mapping, job.format);
      const tierId = tier(fields.tier);
      if (fields.tier && !tierId) fields.errors.push("unknown_tier");
      return { line: row.line, ...fields, tierId };
    });
    await db.$executeRaw`
      UPDATE "MemberImportRow" r SET email = v.email, "customerId" = v.customer_id, "firstName" = v.first_name,
             "lastName" = v.last_name, points = v.points, tier = v.tier, "tierId" = v.tier_id, birthday = v.birthday,
             "referralCode" = v.referral_code, errors = string_to_array(v.errors, ',')::text[], state = 'PENDING',
             outcome = NULL, "memberId" = NULL
      FROM unnest(${read.map((r) => r.line)}::int[], ${read.map((r) => r.email)}::text[],
                  ${read.map((r) => r.customerId?.toString() ?? null)}::bigint[], ${read.map((r) => r.firstName)}::text[],
                  ${read.map((r) => r.lastName)}::text[], ${read.map((r) => r.points)}::int[],
                  ${read.map((r) => r.tier)}::text[], ${read.map((r) => r.tierId)}::uuid[],
                  ${read.map((r) => r.birthday)}::text[], ${read.map((r) => r.referralCode)}::text[],
                  ${read.map((r) => (r.errors.length ? r.errors.join(",") : null))}::text[])
        AS v(line, email, customer_id, first_name, last_name, points, tier, tier_id, birthday, referral_code, errors)
      WHERE r."importId" = ${importId}::uuid AND r.line = v.line`;
  }
  await db.$executeRaw`
    UPDATE "MemberImportRow" SET errors = '{}' WHERE "importId" = ${importId}::uuid AND errors IS NULL`;
  // The same customer twice: the first row counts, the others are reported.
  await db.$executeRaw`
    UPDATE "MemberImportRow" r SET errors = array_append(r.errors, 'duplicate')
    FROM (
      SELECT line, row_number() OVER (PARTITION BY COALESCE("customerId"::text, email) ORDER BY line) AS n
      FROM "MemberImportRow"
      WHERE "importId" = ${importId}::uuid AND COALESCE("customerId"::text, email) IS NOT NULL
    ) d
    WHERE r."importId" = ${importId}::uuid AND r.line = d.line AND d.n > 1`;
  const [counts] = await db.$queryRaw<Array<{ invalid: bigint }>>`
    SELECT count(*) FILTER (WHERE cardinality(errors) > 0) AS invalid FROM "MemberImportRow" WHERE "importId" = ${importId}::uuid`;
  await db.memberImport.update({
    where: { id: importId },
    data: { mapping, status: "VALIDATED", invalid: Number(counts?.invalid ?? 0), error: null },
  });
  return true;
}

/** A mapping from the form: field → column index, each column at most once. */
export function parseMapping(form: URLSearchParams, columns: number): ColumnMapping | null {
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  for (const field of IMPORT_FIELDS) {
    const value = form.get(field);
    if (value === null || value === "") continue;
    const index = Number(value);
    if (!Number.isInteger(index) || index < 0 || index >= columns || used.has(index)) return null;
    used.add(index);
    mapping[field] = index;
  }
  return mappingComplete(mapping) ? mapping : null;
}

export interface ImportReport {
  errors: Array<{ code: string; rows: number }>;
  /** The first rows with errors, by line. */
  samples: Array<{ line: number; errors: string[]; cells: string[] }>;
  dryRun: {
    valid: number;
    existing: number;
    new: number;
    points: number;
    tiers: number;
    birthdays: number;
  };
}

/** What the rows hold and what importing them would do (the dry run). */
export async function importReport(db: Db, shopId: string, importId: string): Promise<ImportReport> {
  const [errors, samples, [dry]] = await Promise.all([
    db.$queryRaw<Array<{ code: string; rows: bigint }>>`
      SELECT code, count(*) AS rows FROM "MemberImportRow", unnest(errors) AS code
      WHERE "importId" = ${importId}::uuid GROUP BY code ORDER BY count(*) DESC`,
    db.$queryRaw<Array<{ line: number; errors: string[]; cells: string[] }>>`
      SELECT line, errors, cells FROM "MemberImportRow"
      WHERE "importId" = ${importId}::uuid AND cardinality(errors) > 0 ORDER BY line LIMIT 100`,
    db.$queryRaw<Array<{ valid: bigint; existing: bigint; points: bigint | null; tiers: bigint; birthdays: bigint }>>`
      SELECT count(*) AS valid, count(m.id) AS existing, sum(r.points) AS points,
             count(*) FILTER (WHERE r."tierId" IS NOT NULL) AS tiers,
             count(*) FILTER (WHERE r.birthday IS NOT NULL AND (m.id IS NULL OR m.birthday IS NULL)) AS birthdays
      FROM "MemberImportRow" r
      LEFT JOIN LATERAL (
        SELECT id, birthday FROM "Member" m
        WHERE m."shopId" = ${shopId}::uuid AND m.status <> 'REDACTED'
          AND (m."customerId" = r."customerId" OR (r."customerId" IS NULL AND lower(m.email) = r.email))
        LIMIT 1
      ) m ON true
      WHERE r."importId" = ${importId}::uuid AND cardinality(r.errors) = 0`,
  ]);
  const valid = Number(dry?.valid ?? 0);
  const existing = Number(dry?.existing ?? 0);
  return {
    errors: errors.map((e) => ({ code: e.code, rows: Number(e.rows) })),
    samples,
    dryRun: {
      valid,
      existing,
      new: valid - existing,
      points: Number(dry?.points ?? 0),
      tiers: Number(dry?.tiers ?? 0),
      birthdays: Number(dry?.birthdays ?? 0),
    },
  };
}

/** Starts a validated import (once: a second click finds it running). */
export async function startImport(db: Db, shopId: string, importId: string, createMissing: boolean): Promise<boolean> {
  const started = await db.memberImport.updateMany({
    where: { id: importId, shopId, status: "VALIDATED" },
    data: { status: "RUNNING", startedAt: new Date(), createMissing },
  });
  if (started.count === 0) return false;
  await requestJob(IMPORT_QUEUE, { importId });
  return true;
}

export async function cancelImport(db: Db, shopId: string, importId: string): Promise<boolean> {
  const cancelled = await db.memberImport.updateMany({
    where: { id: importId, shopId, status: "RUNNING" },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
  return cancelled.count > 0;
}

/** Shopify's side of the import: customers by email, and new customers. */
export interface ImportCustomers {
  byEmail(emails: string[]): Promise<Map<string, bigint>>;
  create(input: { email: string; firstName: string | null; lastName: string | null }): Promise<bigint | null>;
}

interface ClaimedRow {
  line: number;
  email: string | null;
  customerId: bigint | null;
  firstName: string | null;
  lastName: string | null;
  points: number | null;
  tierId: string | null;
  birthday: string | null;
  referralCode: string | null;
}

/**
 * Imports the next batches of an import's rows until none is left (or it is cancelled).
 * Instances share the work: each batch is claimed with SKIP LOCKED. Returns rows done.
 */
export async function runImport(
  db: Db,
  shop: ShopContext,
  importId: string,
  customers: ImportCustomers,
  batchSize = 500,
): Promise<number> {
  let total = 0;
  for (;;) {
    const job = await db.memberImport.findFirst({ where: { id: importId, shopId: shop.id } });
    if (!job || job.status !== "RUNNING") return total;
    const done = await inTransaction(
      db,
      async (tx) => {
        const rows = await tx.$queryRaw<ClaimedRow[]>`
          SELECT line, email, "customerId", "firstName", "lastName", points, "tierId", birthday, "referralCode"
          FROM "MemberImportRow"
          WHERE "importId" = ${importId}::uuid AND state = 'PENDING' AND cardinality(errors) = 0
          ORDER BY line LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        const source = importFormat(job.format)?.label ?? job.filename;
        const outcome = await importBatch(tx, shop, { ...job, source }, rows, customers);
        await tx.$executeRaw`
          UPDATE "MemberImport" SET processed = processed + ${rows.length}, created = created + ${outcome.created},
                 updated = updated + ${outcome.updated}, skipped = skipped + ${outcome.skipped},
                 "pointsAdded" = "pointsAdded" + ${outcome.points}, "updatedAt" = now()
          WHERE id = ${importId}::uuid`;
        return rows.length;
      },
      120_000,
    );
    total += done;
    if (done === 0) {
      // Rows another instance holds are still to finish: that instance closes the import.
      const left = await db.memberImportRow.count({ where: { importId, state: "PENDING", errors: { isEmpty: true } } });
      if (left > 0) return total;
      const finished = await db.memberImport.updateMany({
        where: { id: importId, status: "RUNNING" },
        data: { status: "DONE", finishedAt: new Date() },
      });
      // Members joined on the dates the file gives: the dashboard's closed days change.
      if (finished.count) await analyticsChanged(db, shop.id);
      if (finished.count)
        await db.activityLog.create({
          data: {
            shopId: shop.id,
            actor: job.actor,
            action: "members.imported",
            subject: importId,
            details: { file: job.filename, created: job.created, updated: job.updated, skipped: job.skipped },
          },
        });
      return total;
    }
  }
}

async function importBatch(
  db: Db,
  shop: ShopContext,
  job: { id: string; fileHash: string; createMissing: boolean; source: string },
  rows: ClaimedRow[],
  customers: ImportCustomers,
): Promise<{ created: number; updated: number; skipped: number; points: number }> {
  // Who each row is: a member already (by Shopify id, else email), a Shopify customer, or new.
  const byId = rows.filter((r) => r.customerId !== null).map((r) => r.customerId!.toString());
  const byEmail = rows.filter((r) => r.customerId === null).map((r) => r.email!);
  const members = await db.$queryRaw<Array<{ id: string; customerId: bigint | null; email: string | null }>>`
    SELECT id, "customerId", lower(email) AS email FROM "Member"
    WHERE "shopId" = ${shop.id}::uuid AND status <> 'REDACTED'
      AND ("customerId" = ANY(${byId}::bigint[]) OR lower(email) = ANY(${byEmail}::text[]))`;
  const memberById = new Map(members.filter((m) => m.customerId !== null).map((m) => [m.customerId!.toString(), m]));
  const memberByEmail = new Map(members.filter((m) => m.email).map((m) => [m.email!, m]));
  const unknownEmails = [
    ...new Set(rows.filter((r) => r.customerId === null && !memberByEmail.has(r.email!)).map((r) => r.email!)),
  ];
  const found = new Map<string, bigint>();
  for (let i = 0; i < unknownEmails.length; i += 100)
    for (const [email, id] of await customers.byEmail(unknownEmails.slice(i, i + 100))) found.set(email, id);

  const outcomes = new Map<number, { state: string; outcome: string; memberId?: string }>();
  const toCreate: Array<ClaimedRow & { customerId: bigint }> = [];
  const resolved: Array<ClaimedRow & { customerId: bigint | null; memberId: string | null }> = [];
  for (const row of rows) {
    const member = row.customerId !== null ? memberById.get(row.customerId.toString()) : memberByEmail.get(row.email!);
    if (member) {
      resolved.push({ ...row, memberId: member.id });
      continue;
    }
    let customerId = row.customerId ?? found.get(row.email!) ?? null;
    if (customerId === null && job.createMissing && row.email)
      customerId = await customers.create({ email: row.email, firstName: row.firstName, lastName: row.lastName });
    if (customerId === null) {
      outcomes.set(row.line, { state: "SKIPPED", outcome: "not_in_shopify" });
      continue;
    }
    toCreate.push({ ...row, customerId });
  }

  // New members, with their own referral code when the file has one that is free.
  if (toCreate.length) {
    const wanted = toCreate.map((r) => r.referralCode).filter((code): code is string => Boolean(code));
    const taken = new Set(
      (
        await db.$queryRaw<Array<{ code: string }>>`
          SELECT "referralCode" AS code FROM "Member" WHERE "shopId" = ${shop.id}::uuid AND "referralCode" = ANY(${wanted}::text[])`
      ).map((r) => r.code),
    );
    const codes = toCreate.map((r) => {
      if (r.referralCode && !taken.has(r.referralCode)) {
        taken.add(r.referralCode);
        return r.referralCode;
      }
      return generateReferralCode();
    });
    const inserted = await db.$queryRaw<Array<{ id: string; customerId: bigint }>>`
      INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "referralCode", "enrolledAt", "updatedAt")
      SELECT gen_random_uuid(), ${shop.id}::uuid, v.customer_id, v.email, v.first_name, v.code, now(), now()
      FROM unnest(${toCreate.map((r) => r.customerId.toString())}::bigint[], ${toCreate.map((r) => r.email)}::text[],
                  ${toCreate.map((r) => r.firstName)}::text[], ${codes}::text[]) AS v(customer_id, email, first_name, code)
      ON CONFLICT DO NOTHING
      RETURNING id, "customerId"`;
    const insertedBy = new Map(inserted.map((m) => [m.customerId.toString(), m.id]));
    // A customer enrolled meanwhile (a webhook), or a referral code taken by one: found now.
    const missing = toCreate
      .filter((r) => !insertedBy.has(r.customerId.toString()))
      .map((r) => r.customerId.toString());
    if (missing.length)
      for (const m of await db.$queryRaw<Array<{ id: string; customerId: bigint }>>`
        SELECT id, "customerId" FROM "Member" WHERE "shopId" = ${shop.id}::uuid AND "customerId" = ANY(${missing}::bigint[])`)
        insertedBy.set(m.customerId.toString(), m.id);
    for (const row of toCreate) {
      const memberId = insertedBy.get(row.customerId.toString()) ?? null;
      if (memberId) resolved.push({ ...row, memberId });
      else outcomes.set(row.line, { state: "SKIPPED", outcome: "referral_code_taken" });
    }
  }

  const ready = resolved.filter((r): r is typeof r & { memberId: string } => r.memberId !== null);
  // Birthdays only where none is known (a birthday pays once; it is not rewritten), tiers
  // held for a year, names only where missing.
  await db.$executeRaw`
    UPDATE "Member" m SET
      birthday = COALESCE(m.birthday, v.birthday::date),
      "firstName" = COALESCE(m."firstName", v.first_name),
      "tierId" = COALESCE(v.tier_id, m."tierId"),
      "tierOverride" = CASE WHEN v.tier_id IS DISTINCT FROM m."tierId" AND v.tier_id IS NOT NULL THEN true
                            ELSE m."tierOverride" END,
      "tierOverrideUntil" = CASE WHEN v.tier_id IS DISTINCT FROM m."tierId" AND v.tier_id IS NOT NULL
                                 THEN now() + make_interval(days => ${IMPORTED_TIER_DAYS}) ELSE m."tierOverrideUntil" END,
      "tierAchievedAt" = CASE WHEN v.tier_id IS NOT NULL AND v.tier_id IS DISTINCT FROM m."tierId" THEN now()
                              ELSE m."tierAchievedAt" END,
      "updatedAt" = now()
    FROM unnest(${ready.map((r) => r.memberId)}::uuid[], ${ready.map((r) => r.birthday)}::text[],
                ${ready.map((r) => r.firstName)}::text[], ${ready.map((r) => r.tierId)}::uuid[])
      AS v(member_id, birthday, first_name, tier_id)
    WHERE m.id = v.member_id`;
  // The points: once per file and customer, whatever retries and re-imports happen.
  const credited = ready.filter((r) => (r.points ?? 0) > 0);
  const moved = new Set(
    await postSelectedEntries(
      db,
      Prisma.sql`
      SELECT m."shopId", m.id AS "memberId", v.points AS points, 'IMPORT' AS kind, 'IMPORT' AS source,
             'import:' || ${job.fileHash} || ':' || COALESCE(m."customerId"::text, m.id::text) AS key
      FROM unnest(${credited.map((r) => r.memberId)}::uuid[], ${credited.map((r) => r.points)}::int[]) AS v(member_id, points)
      JOIN "Member" m ON m.id = v.member_id
      ORDER BY m.id FOR UPDATE OF m`,
      new Date(),
      { code: "import", params: { source: job.source } },
    ),
  );
  const creates = new Set(toCreate.map((r) => r.line));
  for (const row of ready)
    outcomes.set(row.line, {
      state: "DONE",
      outcome: creates.has(row.line) ? "created" : "updated",
      memberId: row.memberId,
    });
  const lines = [...outcomes.keys()];
  await db.$executeRaw`
    UPDATE "MemberImportRow" r SET state = v.state, outcome = v.outcome, "memberId" = v.member_id
    FROM unnest(${lines}::int[], ${lines.map((l) => outcomes.get(l)!.state)}::text[],
                ${lines.map((l) => outcomes.get(l)!.outcome)}::text[], ${lines.map((l) => outcomes.get(l)!.memberId ?? null)}::uuid[])
      AS v(line, state, outcome, member_id)
    WHERE r."importId" = ${job.id}::uuid AND r.line = v.line`;
  const skipped = [...outcomes.values()].filter((o) => o.state === "SKIPPED").length;
  return {
    created: ready.filter((r) => creates.has(r.line)).length,
    updated: ready.filter((r) => !creates.has(r.line)).length,
    skipped,
    // What the ledger took: a re-imported file's entries already exist and add nothing.
    points: credited.filter((r) => moved.has(r.memberId)).reduce((sum, r) => sum + r.points!, 0),
  };
}

/** Imports still running (the minute sweep restarts them after a crash). */
export async function runningImports(db: Db): Promise<Array<{ id: string; shopId: string }>> {
  return db.memberImport.findMany({ where: { status: "RUNNING" }, select: { id: true, shopId: true } });
}

export function listImports(db: Db, shopId: string) {
  return db.memberImport.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: 20 });
}

/** One of the shop's imports, or null (another shop's is not found either). */
export function findImport(db: Db, shopId: string, importId: string) {
  return isUuid(importId) ? db.memberImport.findFirst({ where: { id: importId, shopId } }) : Promise.resolve(null);
}
