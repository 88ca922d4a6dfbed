import { logger } from "../platform/logger.server";
import { NotFoundError, ValidationError } from "../services/admin/forms";
import { jsonResponse } from "./responses";

/**
 * Runs an admin page's action and answers it: 200 { ok, result }, field errors 422, a
 * missing (or another shop's) record 404, anything else 500 with the error logged.
 * `echo` is returned beside the outcome (which form asked), `onSuccess` runs after it
 * worked (e.g. asking for Shopify's copy of a changed balance).
 */
export async function adminAction(
  work: () => Promise<unknown>,
  options: { echo?: Record<string, unknown>; onSuccess?: () => void } = {},
): Promise<Response> {
  const echo = options.echo ?? {};
  try {
    const result = await work();
    options.onSuccess?.();
    return jsonResponse({ ok: true, result: result ?? null, ...echo });
  } catch (error) {
    if (error instanceof ValidationError) return jsonResponse({ ok: false, errors: error.fields, ...echo }, 422);
    if (error instanceof NotFoundError)
      return jsonResponse({ ok: false, errors: { form: "validation.notFound" }, ...echo }, 404);
    if (error instanceof Response) throw error;
    logger.error({ err: error }, "admin action failed");
    return jsonResponse({ ok: false, errors: { form: "error.body" }, ...echo }, 500);
  }
}

/** The action's form as strings (files and repeated keys are not used by our forms). */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const form = await request.formData();
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
  return fields;
}

/** A loader's record lookup: another shop's (or a deleted) record answers 404, not an error page's 500. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response("Not found", { status: 404 });
    throw error;
  }
}
