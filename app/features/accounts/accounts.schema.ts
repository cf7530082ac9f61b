import { z } from "zod";
import { TIERS } from "../../../db/schema/accounts";
import { emailField } from "../auth/auth.schema";
import { pageParam, recordIdSchema, searchParam } from "../admin/admin.schema";

// Messages are catalog keys; the form renders them in the viewer's language.

export const ACCOUNT_SORTS = ["name", "-name"] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

export const accountListQuerySchema = z.object({
  q: searchParam,
  tier: z.enum(TIERS).optional().catch(undefined),
  sort: z.enum(ACCOUNT_SORTS).catch("name"),
  page: pageParam,
});

/** An empty form field means "not set". */
function blankToNull<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v), schema.nullable());
}

/** Lower-cased, without surrounding spaces, a leading "@" or a trailing dot: "@Acme.COM." → "acme.com". */
export function normalizeDomain(value: string): string {
  return value.trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
}

// Labels of letters, digits and inner hyphens; at least two labels; an alphabetic (or punycode) top level.
const DOMAIN_PATTERN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** True for a syntactically valid, already normalized email domain such as "acme.co.jp". */
export function isValidDomain(domain: string): boolean {
  return DOMAIN_PATTERN.test(domain);
}

export const domainField = z
  .string({ error: "form.required" })
  .trim()
  .min(1, "form.required")
  .max(253, "form.tooLong")
  .transform(normalizeDomain)
  .refine(isValidDomain, "admin.accounts.domainInvalid");

const accountFields = {
  name: z.string({ error: "form.required" }).trim().min(1, "form.required").max(200, "form.tooLong"),
  crmExternalId: blankToNull(z.string().trim().max(100, "form.tooLong")),
  tier: z.enum(TIERS, { error: "form.invalid" }),
  ownerId: blankToNull(z.string().regex(/^[1-9]\d{0,9}$/, "form.invalid").transform(Number)),
  renewalDate: blankToNull(z.iso.date({ error: "admin.accounts.dateInvalid" })),
  // Typed in whole currency units (thousands separators allowed), stored in cents.
  arr: blankToNull(
    z
      .string()
      .transform((v) => v.replace(/[,\s_]/g, ""))
      .pipe(z.string().regex(/^\d{1,12}$/, "admin.accounts.arrInvalid"))
      .transform((v) => Number(v) * 100),
  ),
  licensedSeats: blankToNull(
    z
      .string()
      .trim()
      .regex(/^\d{1,8}$/, "admin.accounts.seatsInvalid")
      .transform(Number),
  ),
};

function toAccountInput<T extends { arr: number | null }>({ arr, ...rest }: T) {
  return { ...rest, arrCents: arr };
}

/** The create and edit form of an account. */
export const accountFormSchema = z.object(accountFields).transform(toAccountInput);
export type AccountInput = z.output<typeof accountFormSchema>;

/** The forms of the account page, told apart by their hidden `intent` field. */
export const accountPageActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("update"), ...accountFields }).transform(({ intent, ...fields }) => ({ intent, input: toAccountInput(fields) })),
  z.object({ intent: z.literal("addDomain"), domain: domainField }),
  z.object({ intent: z.literal("removeDomain"), domain: z.string().trim().min(1).max(253) }),
  z.object({ intent: z.literal("addMember"), email: emailField }),
  z.object({ intent: z.literal("removeMember"), userId: recordIdSchema }),
]);
export type AccountPageAction = z.output<typeof accountPageActionSchema>;

export { TIERS, type Tier } from "../../../db/schema/accounts";

/** How many membership changes the account page lists; shared by the query and the page text. */
export const ACCOUNT_HISTORY_LIMIT = 50;
