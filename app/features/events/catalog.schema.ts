import { z } from "zod";
import { EVENT_KINDS, EVENT_LANGUAGES } from "../../../db/schema/events";
import { RSVP_CHOICES, surveySchema } from "./events.schema";

/** For the filter forms (routes do not import db/). */
export { EVENT_KINDS, EVENT_LANGUAGES };

// Query strings of /webinars and /events, and the forms on an event page. Query values come from URLs
// people type and share, so a bad one falls back (all topics, page 1) instead of failing.

/** Deep pages of a catalog of a few thousand events are never read; the pager stops here. */
export const CATALOG_MAX_PAGE = 100;

const optionalTag = z.string().trim().toLowerCase().min(1).max(40).optional().catch(undefined);
const optionalLanguage = z.enum(EVENT_LANGUAGES).optional().catch(undefined);
const page = z.coerce.number().int().min(1).max(CATALOG_MAX_PAGE).catch(1).default(1);

export const WEBINAR_VIEWS = ["upcoming", "library"] as const;
export type WebinarView = (typeof WEBINAR_VIEWS)[number];

export const webinarCatalogQuerySchema = z.object({
  view: z.enum(WEBINAR_VIEWS).catch("upcoming").default("upcoming"),
  tag: optionalTag,
  language: optionalLanguage,
  page,
});
export type WebinarCatalogQuery = z.output<typeof webinarCatalogQuerySchema>;

export const eventCatalogQuerySchema = z.object({
  kind: z.enum(EVENT_KINDS).optional().catch(undefined),
  group: z.string().trim().max(120).regex(/^[a-z0-9-]+$/).optional().catch(undefined),
  tag: optionalTag,
  language: optionalLanguage,
  page,
});
export type EventCatalogQuery = z.output<typeof eventCatalogQuerySchema>;

/** A slug in an event URL; anything else is a page that does not exist. */
export const eventSlugParam = z.string().min(1).max(120).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

/**
 * The forms on an event page, told apart by `intent`. The event id travels in a hidden field (parsed with
 * parseEventRouteId first); registration answers are the `answer_<questionId>` fields, checked by the command.
 */
export const eventPageActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("register") }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("rsvp"), choice: z.enum(RSVP_CHOICES, { message: "form.required" }) }),
  surveySchema.extend({ intent: z.literal("survey") }),
]);
export type EventPageAction = z.output<typeof eventPageActionSchema>;

/** What the page says after a redirect from one of its forms (`?done=`). */
export const EVENT_DONE_NOTICES = ["registered", "waitlisted", "cancelled", "rsvp", "survey"] as const;
export type EventDoneNotice = (typeof EVENT_DONE_NOTICES)[number];
export const eventDoneSchema = z.enum(EVENT_DONE_NOTICES).nullable().catch(null);
