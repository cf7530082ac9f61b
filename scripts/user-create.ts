import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { parseCliArgs } from "./cli-args";
import { isUniqueViolation } from "../db/client";
import { runMigrations } from "../db/migrate";
import { accounts, ROLES, users } from "../db/schema";
import { closeDb, getDbHandle } from "../app/db.server";
import { getEnv } from "../app/env.server";
import { changeMembership, joinAccountByVerifiedEmail } from "../app/features/accounts/membership.server";
import { HANDLE_PATTERN } from "../app/features/auth/auth.schema";
import { deriveHandle } from "../app/features/auth/auth.server";
import { hashPassword } from "../app/features/auth/password.server";

/**
 * npm run user:create -- --email E --password P --role admin|staff|moderator|member [--account NAME] [--name "Display Name"] [--handle h]
 * Bootstraps users on a server (the first admin, staff) without the sign-up flow: the email is marked
 * verified, so the user can sign in at once.
 */

const USAGE =
  'Usage: npm run user:create -- --email E --password P --role admin|staff|moderator|member [--account NAME] [--name "Display Name"] [--handle h]';

const argsSchema = z.object({
  email: z
    .string({ error: "is required" })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "must be an email address" }).max(254, "is too long")),
  password: z.string({ error: "is required" }).min(10, "must be at least 10 characters").max(200, "is too long"),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  account: z.string().trim().min(1, "must not be empty").max(200, "is too long").optional(),
  name: z.string().trim().min(1, "must not be empty").max(80, "is too long").optional(),
  handle: z
    .string()
    .trim()
    .toLowerCase()
    .regex(HANDLE_PATTERN, "must be 3-30 characters of a-z, 0-9 and _")
    .optional(),
});

type Args = z.output<typeof argsSchema>;

function parseCommandLine(argv: string[]): Args {
  const options = { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, account: { type: "string" }, name: { type: "string" }, handle: { type: "string" } } as const;
  return parseCliArgs(argv, options, argsSchema, USAGE);
}

/** "jane.doe-smith" → "Jane Doe Smith": a placeholder the user can change on their profile. */
function displayNameFromEmail(email: string): string {
  const words = email.split("@")[0]!.split(/[._\-+]+/).filter(Boolean);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
  return name || email;
}

class RefusedError extends Error {}

async function main(): Promise<void> {
  const args = parseCommandLine(process.argv.slice(2));
  const env = getEnv();
  // Hash before opening a transaction: argon2id takes a noticeable moment by design.
  const passwordHash = await hashPassword(args.password);
  const handle = await getDbHandle();
  try {
    await runMigrations(handle, env.DATABASE_URL);
    const created = await handle.db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.email, args.email));
      if (existing) throw new RefusedError(`A user with email ${args.email} already exists (id ${existing.id}, role ${existing.role}). Nothing was changed.`);
      if (args.handle) {
        const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.handle, args.handle));
        if (taken) throw new RefusedError(`The handle "${args.handle}" is taken (user id ${taken.id}). Choose another with --handle, or leave it out.`);
      }
      const now = new Date();
      const [user] = await tx
        .insert(users)
        .values({
          email: args.email,
          emailVerifiedAt: now,
          passwordHash,
          displayName: args.name ?? displayNameFromEmail(args.email),
          handle: args.handle ?? (await deriveHandle(tx, args.email)),
          role: args.role,
        })
        .returning();

      let account: { id: number; name: string; created: boolean } | null = null;
      if (args.account) {
        const [found] = await tx
          .select({ id: accounts.id, name: accounts.name })
          .from(accounts)
          .where(sql`lower(${accounts.name}) = lower(${args.account})`)
          .orderBy(accounts.id)
          .limit(1);
        if (found) account = { ...found, created: false };
        else {
          const [inserted] = await tx.insert(accounts).values({ name: args.account }).returning({ id: accounts.id, name: accounts.name });
          account = { ...inserted!, created: true };
        }
        // Placed by an operator: a staff override, so the email-domain rule never moves the user elsewhere.
        await changeMembership(tx, { userId: user!.id, accountId: account.id, source: "staff", actorId: null, isStaffOverride: true });
      } else {
        // The email counts as verified, so the usual rule applies: join the account owning its domain.
        const joined = await joinAccountByVerifiedEmail(tx, user!.id, args.email);
        if (joined) account = { ...joined, created: false };
      }
      return { user: user!, account };
    });

    const { user, account } = created;
    console.log(`Created ${user.role} ${user.email} (id ${user.id}, handle @${user.handle}, "${user.displayName}"), email verified.`);
    if (account) console.log(`  Account: ${account.name} (id ${account.id})${account.created ? ", newly created" : ""}`);
    else console.log("  Account: none");
  } catch (error) {
    if (error instanceof RefusedError) throw error;
    if (isUniqueViolation(error)) throw new RefusedError(`A user with email ${args.email} or handle ${args.handle ?? "(derived)"} was created at the same moment. Nothing was changed.`);
    throw error;
  } finally {
    await closeDb();
  }
}

main().catch((error: unknown) => {
  // drizzle wraps driver errors: the cause carries the database's own message.
  const cause = (error as { cause?: unknown }).cause;
  console.error(error instanceof Error ? error.message : error);
  if (cause instanceof Error) console.error(`  ${cause.message}`);
  process.exitCode = 1;
});
