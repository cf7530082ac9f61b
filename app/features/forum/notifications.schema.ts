import { z } from "zod";
import { DIGEST_FREQUENCIES, FOLLOW_TARGETS } from "../../../db/schema/forum";
import { idField } from "./forum.schema";

/**
 * Forms of the notifications area (the bell, /notifications, /settings/notifications, follow buttons),
 * shared by the routes and the commands. Messages are catalog keys (messages/notifications.ts).
 */

/** The bell counts up to this many and shows "99+" beyond, so the count stays one short index scan. */
export const UNREAD_COUNT_CAP = 100;

const id = idField();

/** The email choices in the order the settings page offers them. */
export const DIGEST_FREQUENCY_OPTIONS = DIGEST_FREQUENCIES;

export const digestFrequencySchema = z.object({
  frequency: z.enum(DIGEST_FREQUENCIES, "notifications.settings.frequencyRequired"),
});

/** /notifications: mark one read, or all. */
export const notificationsFormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("markRead"), notificationId: id }),
  z.object({ intent: z.literal("markAllRead") }),
]);

/** /settings/notifications: the email setting, or unfollowing one tag. */
export const notificationSettingsFormSchema = z.discriminatedUnion("intent", [
  digestFrequencySchema.extend({ intent: z.literal("frequency") }),
  z.object({ intent: z.literal("unfollowTag"), tagId: id }),
]);

/** POST /follows (the follow button): follow or unfollow a question or tag, then go back. */
export const followFormSchema = z.object({
  intent: z.enum(["follow", "unfollow"], "form.invalid"),
  targetType: z.enum(FOLLOW_TARGETS, "form.invalid"),
  targetId: id,
  redirectTo: z.string().max(2000).optional(),
});
