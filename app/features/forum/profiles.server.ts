import { and, desc, eq, isNotNull, isNull, ne, or } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumAnswers, forumQuestions, memberReputation, users } from "../../../db/schema";
import { listMemberBadges, type MemberBadge } from "./badges.server";
import { getReputationHistory, type ReputationEntry } from "./member-stats.server";
import { MINIMUM_REPUTATION } from "./reputation";

/**
 * Reads for the public member profile (/members/<handle>). Only what any reader may see: questions and
 * answers that are neither deleted nor hidden (answers also need their question visible), no email, no
 * account. Groups join the profile with the groups issue.
 */

export const PROFILE_LIST_SIZE = 20;
export const PROFILE_HISTORY_SIZE = 50;

export interface MemberProfile {
  id: number;
  handle: string;
  displayName: string;
  bio: string;
  memberSince: Date;
  championAt: Date | null;
  reputation: number;
  questions: number;
  answers: number;
  acceptedAnswers: number;
}

export interface ProfileQuestion {
  id: number;
  title: string;
  slug: string;
  score: number;
  answerCount: number;
  hasAccepted: boolean;
  createdAt: Date;
}

export interface ProfileAnswer {
  id: number;
  questionId: number;
  questionTitle: string;
  questionSlug: string;
  score: number;
  acceptedAt: Date | null;
  createdAt: Date;
}

export interface MemberProfilePage {
  profile: MemberProfile;
  questions: ProfileQuestion[];
  answers: ProfileAnswer[];
  acceptedAnswers: ProfileAnswer[];
  history: ReputationEntry[];
  badges: MemberBadge[];
}

/** The member with this handle (handles are stored lower-case), or null. */
export async function getMemberProfile(db: Db, handle: string): Promise<MemberProfile | null> {
  const [row] = await db
    .select({
      id: users.id,
      handle: users.handle,
      displayName: users.displayName,
      bio: users.bio,
      memberSince: users.createdAt,
      championAt: users.championAt,
      reputation: memberReputation.reputation,
      questions: memberReputation.questions,
      answers: memberReputation.answers,
      acceptedAnswers: memberReputation.acceptedAnswers,
    })
    .from(users)
    .leftJoin(memberReputation, eq(memberReputation.userId, users.id))
    .where(eq(users.handle, handle.toLowerCase()));
  if (!row) return null;
  return {
    ...row,
    reputation: row.reputation ?? MINIMUM_REPUTATION,
    questions: row.questions ?? 0,
    answers: row.answers ?? 0,
    acceptedAnswers: row.acceptedAnswers ?? 0,
  };
}

const visibleQuestion = and(isNull(forumQuestions.deletedAt), isNull(forumQuestions.hiddenAt));

/** The member's visible questions, newest first. */
export async function listMemberQuestions(db: Db, userId: number, limit = PROFILE_LIST_SIZE): Promise<ProfileQuestion[]> {
  const rows = await db
    .select({
      id: forumQuestions.id,
      title: forumQuestions.title,
      slug: forumQuestions.slug,
      score: forumQuestions.score,
      answerCount: forumQuestions.answerCount,
      acceptedAnswerId: forumQuestions.acceptedAnswerId,
      createdAt: forumQuestions.createdAt,
    })
    .from(forumQuestions)
    .where(and(eq(forumQuestions.authorId, userId), visibleQuestion))
    .orderBy(desc(forumQuestions.createdAt), desc(forumQuestions.id))
    .limit(limit);
  return rows.map(({ acceptedAnswerId, ...q }) => ({ ...q, hasAccepted: acceptedAnswerId !== null }));
}

/**
 * The member's visible answers, newest first; `acceptedOnly` lists those accepted by someone else (the
 * ones that count on the profile and toward badges), most recently accepted first.
 */
export async function listMemberAnswers(db: Db, userId: number, options: { acceptedOnly?: boolean; limit?: number } = {}): Promise<ProfileAnswer[]> {
  const accepted = options.acceptedOnly
    ? and(isNotNull(forumAnswers.acceptedAt), or(isNull(forumAnswers.acceptedById), ne(forumAnswers.acceptedById, forumAnswers.authorId)))
    : undefined;
  return db
    .select({
      id: forumAnswers.id,
      questionId: forumAnswers.questionId,
      questionTitle: forumQuestions.title,
      questionSlug: forumQuestions.slug,
      score: forumAnswers.score,
      acceptedAt: forumAnswers.acceptedAt,
      createdAt: forumAnswers.createdAt,
    })
    .from(forumAnswers)
    .innerJoin(forumQuestions, eq(forumQuestions.id, forumAnswers.questionId))
    .where(and(eq(forumAnswers.authorId, userId), isNull(forumAnswers.deletedAt), isNull(forumAnswers.hiddenAt), visibleQuestion, accepted))
    .orderBy(options.acceptedOnly ? desc(forumAnswers.acceptedAt) : desc(forumAnswers.createdAt), desc(forumAnswers.id))
    .limit(options.limit ?? PROFILE_LIST_SIZE);
}

/** Everything the profile page shows, read side by side. */
export async function getMemberProfilePage(db: Db, handle: string): Promise<MemberProfilePage | null> {
  const profile = await getMemberProfile(db, handle);
  if (!profile) return null;
  const [questions, answers, acceptedAnswers, history, badges] = await Promise.all([
    listMemberQuestions(db, profile.id),
    listMemberAnswers(db, profile.id),
    listMemberAnswers(db, profile.id, { acceptedOnly: true }),
    getReputationHistory(db, profile.id, { limit: PROFILE_HISTORY_SIZE }),
    listMemberBadges(db, profile.id),
  ]);
  return { profile, questions, answers, acceptedAnswers, history, badges };
}

