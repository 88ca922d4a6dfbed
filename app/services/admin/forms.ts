import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client";
import type { Tx } from "../../platform/database/db";
import { MoneyError, parseMinor } from "../../domain/money";

/**
 * What every admin change shares: form strings validated into field errors (message keys
 * the admin translates, all fields at once), money typed by a merchant, and the activity
 * log entry naming who changed what.
 */

/** Field name → message key (in app/i18n), for the form to show under each field. */
export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(readonly fields: Record<string, string>) {
    super(`invalid: ${Object.keys(fields).join(", ")}`);
  }
}

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export type Form = Record<string, string | undefined>;

export const text = (max: number) =>
  z.string().trim().min(1, { error: "validation.required" }).max(max, { error: "validation.tooLong" });
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: "validation.tooLong" })
    .optional()
    .transform((v) => v || null);
export const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { error: "validation.wholeNumber" })
    .transform(Number)
    .pipe(z.number().min(min, { error: "validation.range" }).max(max, { error: "validation.range" }));
export const optionalInt = (min: number, max: number) =>
  z
    .union([z.literal(""), int(min, max)])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v));
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    fields[field] ??= issue.message.startsWith("validation.") ? issue.message : "validation.invalid";
  }
  return fields;
}

export function parse<T extends z.ZodType>(schema: T, form: Form): z.infer<T> {
  const result = schema.safeParse(form);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}

/**
 * Collects every field's error before answering, so the merchant sees all of them at
 * once rather than one per save.
 */
export class FormErrors {
  readonly fields: Record<string, string> = {};

  add(field: string, key: string): void {
    this.fields[field] ??= key;
  }

  has(field?: string): boolean {
    return field === undefined ? Object.keys(this.fields).length > 0 : field in this.fields;
  }

  /** The schema's output, or null with its errors recorded. */
  parse<T extends z.ZodType>(schema: T, form: Form): z.infer<T> | null {
    const result = schema.safeParse(form);
    if (result.success) return result.data;
    for (const [field, key] of Object.entries(fieldErrors(result.error))) this.add(field, key);
    return null;
  }

  /** A money amount typed by the merchant ("5", "4.99", "4,99") in minor units, or null. */
  money(value: string | undefined, currency: string, field: string, options: { required: boolean }): number | null {
    const raw = value?.trim() ?? "";
    if (!raw) {
      if (options.required) this.add(field, "validation.required");
      return null;
    }
    try {
      const minor = parseMinor(raw.replace(",", "."), currency);
      if (minor <= 0n || minor > 1_000_000_000n) {
        this.add(field, "validation.range");
        return null;
      }
      return Number(minor);
    } catch (error) {
      if (error instanceof MoneyError) {
        this.add(field, "validation.money");
        return null;
      }
      throw error;
    }
  }

  throwIfAny(): void {
    if (this.has()) throw new ValidationError({ ...this.fields });
  }
}

/** A money amount typed by the merchant ("5", "4.99") in the shop's currency. */
export function money(
  value: string | undefined,
  currency: string,
  field: string,
  options: { required: boolean },
): number | null {
  const errors = new FormErrors();
  const minor = errors.money(value, currency, field, options);
  errors.throwIfAny();
  return minor;
}

export async function recordActivity(
  tx: Tx,
  shopId: string,
  entry: { actor: string; action: string; subject?: string | null; details?: Prisma.InputJsonValue },
) {
  await tx.activityLog.create({
    data: { shopId, actor: entry.actor, action: entry.action, subject: entry.subject ?? null, details: entry.details },
  });
}

/** The fields that changed, as { field: [before, after] }, for the activity log. */
export function changes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, [unknown, unknown]> {
  const diff: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    const same =
      JSON.stringify(old, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ===
      JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    // JSON has no undefined: a value that was not there before is null.
    const shown = (v: unknown) => (typeof v === "bigint" ? v.toString() : (v ?? null));
    if (!same) diff[key] = [shown(old), shown(value)];
  }
  return diff;
}
