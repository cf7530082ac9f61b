import type { Locale } from "../../../db/schema/identity";
import { auth } from "./messages/auth";
import { common } from "./messages/common";
import { admin } from "./messages/admin";
import { kb } from "./messages/kb";
import { adminKb } from "./messages/admin-kb";
import { forum } from "./messages/forum";
import { members } from "./messages/members";
import { moderation } from "./messages/moderation";
import { notifications } from "./messages/notifications";
import { search } from "./messages/search";
import { events } from "./messages/events";
import { adminEvents } from "./messages/admin-events";
import { groups } from "./messages/groups";
import { calendar } from "./messages/calendar";

// Each area keeps its own catalog file; they are merged here. Keys are unique across areas.
export const catalogs = {
  en: { ...common.en, ...auth.en, ...admin.en, ...kb.en, ...adminKb.en, ...forum.en, ...members.en, ...notifications.en, ...moderation.en, ...search.en, ...events.en, ...adminEvents.en, ...groups.en, ...calendar.en },
  ja: { ...common.ja, ...auth.ja, ...admin.ja, ...kb.ja, ...adminKb.ja, ...forum.ja, ...members.ja, ...notifications.ja, ...moderation.ja, ...search.ja, ...events.ja, ...adminEvents.ja, ...groups.ja, ...calendar.ja },
} satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof catalogs)["en"];

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogs.en, key);
}

export type MessageParams = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template: string = catalogs[locale][key] ?? catalogs.en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** Field errors carry message keys; anything else (already human text) passes through. */
export function translateError(locale: Locale, message: string): string {
  return isMessageKey(message) ? translate(locale, message) : message;
}
