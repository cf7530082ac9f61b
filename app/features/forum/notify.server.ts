import { and, eq, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { badges, forumFollows, forumQuestions, memberBadges, memberSettings, notifications, users, type NotificationType } from "../../../db/schema";
import { enqueueJob } from "../jobs/queue.server";
import { extractMentions } from "./mentions";
import { FORUM_NOTIFY_IMMEDIATE_JOB } from "./notifications.server";

/**
 * CONTRACT (filled in by the notifications work): the forum's commands call notifyForumEvent inside their
 * transaction after the write. It decides who hears about it (the question's followers, followers of its
 * tags, the asker, the answer's author, @mentioned members in `text`), never the actor, and writes one
 * notification per recipient per event (dedupe key), then queues email per each recipient's digest setting.
 */
export type ForumEvent =
  | { type: "question_asked"; questionId: number; actorId: number; tagIds: number[]; text: string }
  | { type: "answer_posted"; questionId: number; answerId: number; actorId: number; text: string }
  | { type: "answer_accepted"; questionId: number; answerId: number; actorId: number; answerAuthorId: number }
  | { type: "comment_posted"; questionId: number; answerId: number | null; commentId: number; actorId: number; text: string }
  | { type: "badge_awarded"; userId: number; memberBadgeId: number; badgeSlug: string; actorId: number | null }
  | { type: "champion_granted"; userId: number; actorId: number }
  /** Someone else edited a member's question or answer (a privilege or a moderator): the author hears of it. */
  | { type: "post_edited"; revisionId: number; questionId: number; answerId: number | null; actorId: number; authorId: number };

/** What the event becomes in the notifications table, before choosing recipients. */
interface Shape {
  /** The notification type for recipients who were not mentioned. */
  type: NotificationType;
  /** Identifies the event within its type: with the type and the recipient, the dedupe key. */
  eventId: number;
  actorId: number | null;
  questionId: number | null;
  answerId: number | null;
  commentId: number | null;
  text: string | null;
}

function shapeOf(event: ForumEvent): Shape {
  switch (event.type) {
    case "question_asked":
      return { type: "question_tagged", eventId: event.questionId, actorId: event.actorId, questionId: event.questionId, answerId: null, commentId: null, text: event.text };
    case "answer_posted":
      return { type: "answer_posted", eventId: event.answerId, actorId: event.actorId, questionId: event.questionId, answerId: event.answerId, commentId: null, text: event.text };
    case "answer_accepted":
      return { type: "answer_accepted", eventId: event.answerId, actorId: event.actorId, questionId: event.questionId, answerId: event.answerId, commentId: null, text: null };
    case "comment_posted":
      return { type: "comment_posted", eventId: event.commentId, actorId: event.actorId, questionId: event.questionId, answerId: event.answerId, commentId: event.commentId, text: event.text };
    case "badge_awarded":
      return { type: "badge_awarded", eventId: event.memberBadgeId, actorId: event.actorId, questionId: null, answerId: null, commentId: null, text: null };
    case "champion_granted":
      return { type: "champion_granted", eventId: event.userId, actorId: event.actorId, questionId: null, answerId: null, commentId: null, text: null };
    case "post_edited":
      return { type: "post_edited", eventId: event.revisionId, actorId: event.actorId, questionId: event.questionId, answerId: event.answerId, commentId: null, text: null };
  }
}

/**
 * One key per recipient per event, whatever the reasons (follows the question, follows a tag, was
 * mentioned): the unique index turns a second reason, or a command retried, into nothing.
 */
export function notificationDedupeKey(eventType: ForumEvent["type"], eventId: number, userId: number): string {
  return `${eventType}:${eventId}:${userId}`;
}

/** The asker and the question's followers (answerers follow automatically, see followAsParticipant). */
function questionAudience(questionId: number): SQL {
  return sql`select ${forumFollows.userId} from ${forumFollows} where ${forumFollows.targetType} = 'question' and ${forumFollows.targetId} = ${questionId}
    union select ${forumQuestions.authorId} from ${forumQuestions} where ${forumQuestions.id} = ${questionId}`;
}

function tagAudience(tagIds: readonly number[]): SQL | null {
  if (tagIds.length === 0) return null;
  return sql`select ${forumFollows.userId} from ${forumFollows} where ${forumFollows.targetType} = 'tag' and ${forumFollows.targetId} in (${sql.join(
    tagIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}

function memberIds(ids: readonly number[]): SQL {
  return sql`select unnest(array[${sql.join(
    ids.map((id) => sql`${id}::int`),
    sql`, `,
  )}])`;
}

async function badgeData(db: Db, memberBadgeId: number, badgeSlug: string): Promise<Record<string, unknown>> {
  const [badge] = await db
    .select({ nameEn: badges.nameEn, nameJa: badges.nameJa })
    .from(memberBadges)
    .innerJoin(badges, eq(badges.id, memberBadges.badgeId))
    .where(eq(memberBadges.id, memberBadgeId));
  return { badgeSlug, badgeNameEn: badge?.nameEn ?? badgeSlug, badgeNameJa: badge?.nameJa ?? badgeSlug };
}

/**
 * Writes the event's notifications and queues immediate email. Call inside the command's transaction, after
 * the write (so a rolled-back post notifies nobody). Recipients: see ForumEvent; minus the actor; minus
 * suspended members; a member with several reasons gets one notification (type "mentioned" when they were
 * mentioned, the more personal reason). Members whose digest setting is "immediate" get a
 * forum.notify_immediate job, one per member while it waits (dedupe key), so a burst becomes one mail;
 * daily and weekly members are mailed by the forum.digest job. Idempotent.
 */
export async function notifyForumEvent(db: Db, event: ForumEvent): Promise<void> {
  const shape = shapeOf(event);

  let audience: SQL | null;
  switch (event.type) {
    case "question_asked":
      audience = tagAudience(event.tagIds);
      break;
    case "answer_posted":
    case "comment_posted":
      audience = questionAudience(event.questionId);
      break;
    case "answer_accepted":
      audience = sql`${questionAudience(event.questionId)} union ${memberIds([event.answerAuthorId])}`;
      break;
    case "badge_awarded":
    case "champion_granted":
      audience = memberIds([event.userId]);
      break;
    case "post_edited":
      audience = memberIds([event.authorId]);
      break;
  }
  const handles = shape.text ? extractMentions(shape.text) : [];
  const byHandle = handles.length > 0 ? sql`${users.handle} in (${sql.join(handles.map((h) => sql`${h}`), sql`, `)})` : null;
  if (!audience && !byHandle) return;

  // Audience, mentions, suspension and digest settings in one statement: this runs inside every posting
  // transaction, where each round trip holds the question's row lock.
  const recipients = await db
    .select({
      id: users.id,
      frequency: sql<string>`coalesce(${memberSettings.digestFrequency}, 'daily')`,
      mentioned: byHandle ? sql<boolean>`${byHandle}` : sql<boolean>`false`,
    })
    .from(users)
    .leftJoin(memberSettings, eq(memberSettings.userId, users.id))
    .where(
      and(
        or(audience ? sql`${users.id} in (${audience})` : undefined, byHandle ?? undefined),
        isNull(users.suspendedAt),
        shape.actorId !== null ? ne(users.id, shape.actorId) : undefined,
      ),
    );
  if (recipients.length === 0) return;
  const mentioned = new Set(recipients.filter((r) => r.mentioned).map((r) => r.id));

  const data = event.type === "badge_awarded" ? await badgeData(db, event.memberBadgeId, event.badgeSlug) : {};
  const inserted = await db
    .insert(notifications)
    .values(
      recipients.map((r) => ({
        userId: r.id,
        type: mentioned.has(r.id) ? ("mentioned" as const) : shape.type,
        actorId: shape.actorId,
        questionId: shape.questionId,
        answerId: shape.answerId,
        commentId: shape.commentId,
        data,
        dedupeKey: notificationDedupeKey(event.type, shape.eventId, r.id),
      })),
    )
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ userId: notifications.userId });

  const newlyNotified = new Set(inserted.map((r) => r.userId));
  for (const recipient of recipients) {
    if (recipient.frequency !== "immediate" || !newlyNotified.has(recipient.id)) continue;
    await enqueueJob(db, { type: FORUM_NOTIFY_IMMEDIATE_JOB, payload: { userId: recipient.id }, dedupeKey: `${FORUM_NOTIFY_IMMEDIATE_JOB}:${recipient.id}` });
  }
}
