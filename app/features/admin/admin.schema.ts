import { z } from "zod";
import { echoValues } from "../forms/parse";

// Shared by the staff screens: route params and list queries. Bad values never reach the database.

const MAX_INT4 = 2_147_483_647;

/**
 * A row id from the URL. Anything that is not a plain positive integer in range fails, so the route
 * answers 404 instead of letting "abc" or "99999999999" reach Postgres as a type or range error.
 */
export const recordIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .refine((n) => n <= MAX_INT4);

/** Ids of bigint rows (jobs): still a safe JavaScript integer. */
export const bigRecordIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n));

/** A 1-based page number from a query string; nonsense falls back to the first page. */
export const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

/** Free-text search from a query string, trimmed; too long or missing means no filter. */
export const searchParam = z.string().trim().max(200).optional().catch(undefined);

export const mailListQuerySchema = z.object({
  to: z.string().trim().toLowerCase().max(254).optional().catch(undefined),
  page: pageParam,
});

export const retryJobSchema = z.object({
  intent: z.literal("retry"),
  jobId: bigRecordIdSchema,
});

/** Reads a URL's query string into a plain object for a zod schema (first value of each key). */
export function queryValues(url: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new URL(url).searchParams) if (!(key in values)) values[key] = value;
  return values;
}

/** What the user typed, for showing a form again after a command refused it (secrets left out). */
export function formValues(formData: FormData): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string" && !(key in raw)) raw[key] = value;
  return echoValues(raw);
}
