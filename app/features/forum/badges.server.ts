import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { badges, memberBadges, users } from "../../../db/schema";
import { can } from "../auth/permissions";
import { recordActivity } from "../engagement/activities.server";
import { issuesToFieldErrors } from "../forms/parse";
import { forumActivity } from "./activity";
import { notifyForumEvent } from "./notify.server";
import { fieldError, refuse, type ForumActor, type ForumResult } from "./result";

/**
 * The badge catalog lives here, in code, like the reputation rules: the `badges` table is only its copy,
 * upserted lazily the first time a badge is awarded (no migration or boot step to keep in sync). Names and
 * descriptions in both languages are stored so notifications and exports can show them without the app.
 */

/** Consecutive UTC days with an upvote on one of your answers that earn "Helpful streak". */
export const HELPFUL_STREAK_DAYS = 7;
/** Accepted answers (by others) for "Trusted advisor". */
export const TRUSTED_ADVISOR_ACCEPTED = 10;

type Tier = "bronze" | "silver" | "gold";
type CountRule = { kind: "count"; count: "questions" | "answers" | "acceptedAnswers"; atLeast: number };
type AutomaticRule = CountRule | { kind: "streak" } | { kind: "later" };

interface BadgeDefinition {
  slug: string;
  tier: Tier;
  nameEn: string;
  nameJa: string;
  descriptionEn: string;
  descriptionJa: string;
}

export const AUTOMATIC_BADGES = [
  {
    slug: "first-question",
    tier: "bronze",
    nameEn: "Curious",
    nameJa: "好奇心",
    descriptionEn: "Asked a first question.",
    descriptionJa: "はじめて質問しました。",
    rule: { kind: "count", count: "questions", atLeast: 1 },
  },
  {
    slug: "first-answer",
    tier: "bronze",
    nameEn: "Helping hand",
    nameJa: "お助け",
    descriptionEn: "Posted a first answer.",
    descriptionJa: "はじめて回答しました。",
    rule: { kind: "count", count: "answers", atLeast: 1 },
  },
  {
    slug: "first-accepted-answer",
    tier: "bronze",
    nameEn: "Problem solver",
    nameJa: "問題解決",
    descriptionEn: "Had a first answer accepted by someone else.",
    descriptionJa: "はじめて回答が採用されました（自分の質問を除く）。",
    rule: { kind: "count", count: "acceptedAnswers", atLeast: 1 },
  },
  {
    slug: "accepted-answers-10",
    tier: "silver",
    nameEn: "Trusted advisor",
    nameJa: "頼れるアドバイザー",
    descriptionEn: `Had ${TRUSTED_ADVISOR_ACCEPTED} answers accepted by others.`,
    descriptionJa: `${TRUSTED_ADVISOR_ACCEPTED} 件の回答が採用されました（自分の質問を除く）。`,
    rule: { kind: "count", count: "acceptedAnswers", atLeast: TRUSTED_ADVISOR_ACCEPTED },
  },
  {
    slug: "helpful-streak",
    tier: "silver",
    nameEn: "Helpful streak",
    nameJa: "連続で役立つ回答",
    descriptionEn: `Answers upvoted on ${HELPFUL_STREAK_DAYS} days in a row (awarded once per streak).`,
    descriptionJa: `${HELPFUL_STREAK_DAYS} 日連続で回答に賛成票を受けました（連続記録ごとに 1 回）。`,
    rule: { kind: "streak" },
  },
  {
    // Defined now so the catalog is stable; the events issue awards it (attended events in a row).
    slug: "event-regular",
    tier: "silver",
    nameEn: "Event regular",
    nameJa: "イベント常連",
    descriptionEn: "Attends community events regularly.",
    descriptionJa: "コミュニティイベントに継続して参加しています。",
    rule: { kind: "later" },
  },
] as const satisfies ReadonlyArray<BadgeDefinition & { rule: AutomaticRule }>;

/** Awarded by staff only, with a reason. */
export const MANUAL_BADGES = [
  {
    slug: "community-hero",
    tier: "gold",
    nameEn: "Community hero",
    nameJa: "コミュニティヒーロー",
    descriptionEn: "Recognized by staff for outstanding help to the community.",
    descriptionJa: "コミュニティへの大きな貢献をスタッフが表彰しました。",
  },
  {
    slug: "product-insider",
    tier: "silver",
    nameEn: "Product insider",
    nameJa: "プロダクトインサイダー",
    descriptionEn: "Helped shape the product with feedback or beta testing.",
    descriptionJa: "フィードバックやベータテストで製品づくりに協力しました。",
  },
] as const satisfies ReadonlyArray<BadgeDefinition>;

export type ManualBadgeSlug = (typeof MANUAL_BADGES)[number]["slug"];
export const MANUAL_BADGE_SLUGS = MANUAL_BADGES.map((b) => b.slug) as [ManualBadgeSlug, ...ManualBadgeSlug[]];

const CATALOG: ReadonlyArray<BadgeDefinition & { kind: "automatic" | "manual" }> = [
  ...AUTOMATIC_BADGES.map(({ rule: _rule, ...b }) => ({ ...b, kind: "automatic" as const })),
  ...MANUAL_BADGES.map((b) => ({ ...b, kind: "manual" as const })),
];

/**
 * Ids of the catalog's badges by slug, writing the catalog into `badges` when a badge is missing or its
 * text changed in code (an upsert; rows are never deleted, so awards keep their badge).
 */
export async function badgeIdsBySlug(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: badges.id, slug: badges.slug, nameEn: badges.nameEn, nameJa: badges.nameJa, descriptionEn: badges.descriptionEn, descriptionJa: badges.descriptionJa, tier: badges.tier, kind: badges.kind })
    .from(badges)
    .where(inArray(badges.slug, CATALOG.map((b) => b.slug)));
  const stale = CATALOG.filter((b) => {
    const row = rows.find((r) => r.slug === b.slug);
    return !row || row.nameEn !== b.nameEn || row.nameJa !== b.nameJa || row.descriptionEn !== b.descriptionEn || row.descriptionJa !== b.descriptionJa || row.tier !== b.tier || row.kind !== b.kind;
  });
  if (stale.length === 0) return new Map(rows.map((r) => [r.slug, r.id]));
  const upserted = await db
    .insert(badges)
    .values(stale.map((b) => ({ ...b })))
    .onConflictDoUpdate({
      target: badges.slug,
      set: {
        nameEn: sql`excluded.name_en`,
        nameJa: sql`excluded.name_ja`,
        descriptionEn: sql`excluded.description_en`,
        descriptionJa: sql`excluded.description_ja`,
        tier: sql`excluded.tier`,
        kind: sql`excluded.kind`,
        updatedAt: new Date(),
      },
    })
    .returning({ id: badges.id, slug: badges.slug });
  const ids = new Map(rows.map((r) => [r.slug, r.id]));
  for (const row of upserted) ids.set(row.slug, row.id);
  return ids;
}

export const BADGE_REASON_MAX = 500;

export const awardBadgeSchema = z.object({
  handle: z.string({ error: "form.required" }).trim().toLowerCase().min(1, "form.required").max(30, "members.admin.unknownMember"),
  badge: z.enum(MANUAL_BADGE_SLUGS, { error: "members.admin.chooseBadge" }),
  reason: z.string({ error: "form.required" }).trim().min(1, "form.required").max(BADGE_REASON_MAX, "members.admin.reasonTooLong"),
});
export type AwardBadgeInput = z.input<typeof awardBadgeSchema>;

/**
 * Staff (forum.staff) award a manual badge by hand, with a reason shown on the member's profile. Once per
 * badge per member. Side effects: member_badges row, forum.badge.earned ledger entry, badge_awarded notification.
 */
export async function awardBadge(db: Db, actor: ForumActor, input: AwardBadgeInput): Promise<ForumResult<{ memberBadgeId: number; userId: number }>> {
  const parsed = awardBadgeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  if (!can(actor, "forum.staff")) return refuse("forbidden");
  const { handle, badge, reason } = parsed.data;
  return db.transaction(async (tx) => {
    const [member] = await tx.select({ id: users.id }).from(users).where(eq(users.handle, handle));
    if (!member) return fieldError("handle", "members.admin.unknownMember");
    const ids = await badgeIdsBySlug(tx);
    const [row] = await tx
      .insert(memberBadges)
      .values({ userId: member.id, badgeId: ids.get(badge)!, awardKey: `manual:${badge}:${member.id}`, awardedById: actor.id, reason })
      .onConflictDoNothing({ target: memberBadges.awardKey })
      .returning({ id: memberBadges.id });
    if (!row) return fieldError("badge", "members.admin.alreadyAwarded");
    await recordActivity(tx, forumActivity.badgeEarned(row.id, member.id, badge));
    await notifyForumEvent(tx, { type: "badge_awarded", userId: member.id, memberBadgeId: row.id, badgeSlug: badge, actorId: actor.id });
    return { ok: true as const, memberBadgeId: row.id, userId: member.id };
  });
}

export interface MemberBadge {
  id: number;
  slug: string;
  nameEn: string;
  nameJa: string;
  descriptionEn: string;
  descriptionJa: string;
  tier: Tier;
  kind: "automatic" | "manual";
  reason: string | null;
  awardedAt: Date;
}

/** A member's badges, newest first (a streak badge can appear once per streak). */
export async function listMemberBadges(db: Db, userId: number): Promise<MemberBadge[]> {
  return db
    .select({
      id: memberBadges.id,
      slug: badges.slug,
      nameEn: badges.nameEn,
      nameJa: badges.nameJa,
      descriptionEn: badges.descriptionEn,
      descriptionJa: badges.descriptionJa,
      tier: badges.tier,
      kind: badges.kind,
      reason: memberBadges.reason,
      awardedAt: memberBadges.awardedAt,
    })
    .from(memberBadges)
    .innerJoin(badges, eq(badges.id, memberBadges.badgeId))
    .where(and(eq(memberBadges.userId, userId)))
    .orderBy(desc(memberBadges.awardedAt), desc(memberBadges.id));
}
