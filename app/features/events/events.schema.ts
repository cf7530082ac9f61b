import { z } from "zod";
import {
  ATTENDANCE_MODES,
  EVENT_KINDS,
  EVENT_LANGUAGES,
  EVENT_LEVELS,
  GROUP_JOIN_POLICIES,
  GROUP_KINDS,
  type RegistrationQuestion,
} from "../../../db/schema/events";
import { isValidTimeZone, zonedLocalToUtc } from "./zoned-time";

// Shared by the forms (staff, group leaders, members) and the commands, which parse their input again with
// the same schemas. Every schema accepts what a form submits (strings) and its own output, so parsing twice
// is safe. Messages are catalog keys (messages/events.ts, admin-events.ts, groups.ts).

export const EVENT_TITLE_MAX = 200;
export const EVENT_SLUG_MAX = 120;
export const EVENT_SUMMARY_MAX = 300;
export const EVENT_TEXT_MAX = 20_000;
export const EVENT_TAGS_MAX = 8;
export const EVENT_SPEAKERS_MAX = 10;
export const EVENT_QUESTIONS_MAX = 5;
export const EVENT_ANSWER_MAX = 500;
export const EVENT_CAPACITY_MAX = 100_000;
export const SURVEY_COMMENT_MAX = 2000;
/** Longest an event may last; longer is almost always a mistyped date. */
export const EVENT_MAX_HOURS = 72;
/** The join link appears this long before the start (and stays until the end). */
export const JOIN_LINK_OPENS_MINUTES = 15;
export const EVENT_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const MAX_INT4 = 2_147_483_647;

/** A positive id from a form field or route param; anything else (including "12abc") fails. */
export const idParam = z.coerce.number().int().positive().max(MAX_INT4);

/** Lets a schema take its own output again: an optional field's null (its "none") reads as missing. */
const nullAsMissing = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === null ? undefined : value), schema);

const optionalText = (max: number) =>
  nullAsMissing(
    z
      .string()
      .trim()
      .max(max, "form.tooLong")
      .optional()
      .transform((v) => (v ? v : null)),
  );

/** http(s) only, so a stored link can never become a script URL. Empty means none. */
export const optionalHttpUrl = nullAsMissing(
  z
    .string()
    .trim()
    .max(2000, "form.tooLong")
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^https?:\/\/[^\s]+$/i.test(v), "events.field.urlInvalid"),
);

/** Comma-separated topic tags: lower-cased, de-duplicated, at most EVENT_TAGS_MAX. */
export const eventTagsField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => {
    const list = Array.isArray(value) ? value : (value ?? "").split(",");
    return [...new Set(list.map((t) => t.trim().toLowerCase().replace(/\s+/g, "-")).filter(Boolean))];
  })
  .refine((tags) => tags.length <= EVENT_TAGS_MAX, "events.field.tagsTooMany")
  .refine((tags) => tags.every((t) => t.length <= 40), "events.field.tagTooLong");

/** "Name — Title" per line (an en dash, hyphen or comma also separates), or the parsed list itself. */
export const speakersField = z
  .union([z.string(), z.array(z.object({ name: z.string(), title: z.string() }))])
  .optional()
  .transform((value) => {
    if (Array.isArray(value)) return value.map((s) => ({ name: s.name.trim(), title: s.title.trim() }));
    return (value ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [name, ...rest] = line.split(/\s+[—–-]\s+|,\s*/);
        return { name: (name ?? "").trim(), title: rest.join(", ").trim() };
      });
  })
  .refine((list) => list.length <= EVENT_SPEAKERS_MAX, "events.field.speakersTooMany")
  .refine((list) => list.every((s) => s.name.length > 0 && s.name.length <= 100 && s.title.length <= 150), "events.field.speakerInvalid");

/** A URL slug, or null: derived from the title or name by the command. */
const optionalSlug = nullAsMissing(
  z
    .string()
    .trim()
    .toLowerCase()
    .max(EVENT_SLUG_MAX, "form.tooLong")
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || EVENT_SLUG_PATTERN.test(v), "events.field.slugInvalid"),
);

/** A question's id: stable while its label is unchanged, so reordering questions keeps earlier answers. */
export function registrationQuestionId(label: string): string {
  let hash = 0x811c9dc5;
  for (const ch of label.trim().toLowerCase()) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `q${hash.toString(36)}`;
}

/**
 * Registration questions, one per line: `Label`, or `Label :: option | option` for a choice; a trailing
 * `*` makes it required. E.g. `What is your role? :: Admin | Developer | Other *`.
 */
export function parseRegistrationQuestions(text: string): RegistrationQuestion[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const required = line.endsWith("*");
      const body = required ? line.slice(0, -1).trim() : line;
      const [label, optionText] = body.split("::").map((part) => part.trim());
      const options = optionText ? [...new Set(optionText.split("|").map((o) => o.trim()).filter(Boolean))] : [];
      return { id: registrationQuestionId(label ?? ""), label: label ?? "", kind: options.length ? ("choice" as const) : ("text" as const), options, required };
    });
}

/** The textarea form of a question list (parseRegistrationQuestions reverses it). */
export function formatRegistrationQuestions(questions: readonly RegistrationQuestion[]): string {
  return questions.map((q) => `${q.label}${q.options.length ? ` :: ${q.options.join(" | ")}` : ""}${q.required ? " *" : ""}`).join("\n");
}

const questionSchema = z.object({
  id: z.string(),
  label: z.string().min(1).max(200),
  kind: z.enum(["text", "choice"]),
  options: z.array(z.string().min(1).max(100)).max(20),
  required: z.boolean(),
});

export const registrationQuestionsField = z
  .union([z.string(), z.array(questionSchema)])
  .optional()
  .transform((value) => (Array.isArray(value) ? value : parseRegistrationQuestions(value ?? "")))
  .refine((list) => list.length <= EVENT_QUESTIONS_MAX, "events.field.questionsTooMany")
  .refine((list) => list.every((q) => q.label.length > 0 && q.label.length <= 200 && q.options.length <= 20), "events.field.questionInvalid")
  .refine((list) => new Set(list.map((q) => q.id)).size === list.length, "events.field.questionDuplicate");

/**
 * The event form (staff for webinars and group events, group leaders for their group's drafts). Local
 * times are read in `timeZone`; the output carries the UTC instants `startsAt` / `endsAt`.
 */
export const eventFormSchema = z
  .object({
    kind: z.enum(EVENT_KINDS),
    title: z.string().trim().min(1, "form.required").max(EVENT_TITLE_MAX, "form.tooLong"),
    /** Empty: derived from the title (or "event-<n>" for titles without Latin words). */
    slug: optionalSlug,
    summary: z.string().trim().max(EVENT_SUMMARY_MAX, "form.tooLong").optional().default(""),
    descriptionMd: z.string().max(EVENT_TEXT_MAX, "form.tooLong").optional().default(""),
    agendaMd: z.string().max(EVENT_TEXT_MAX, "form.tooLong").optional().default(""),
    speakers: speakersField,
    level: z.enum(EVENT_LEVELS).optional().default("all"),
    language: z.enum(EVENT_LANGUAGES).optional().default("en"),
    tags: eventTagsField,
    startsLocal: z.string().trim().min(1, "form.required"),
    endsLocal: z.string().trim().min(1, "form.required"),
    timeZone: z.string().trim().min(1, "form.required").refine(isValidTimeZone, "events.field.timeZoneInvalid"),
    /** Empty: unlimited. */
    capacity: z
      .union([z.string(), z.number(), z.null()])
      .optional()
      .transform((v) => (v === undefined || v === null || v === "" ? null : Number(v)))
      .refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= EVENT_CAPACITY_MAX), "events.field.capacityInvalid"),
    attendanceMode: z.enum(ATTENDANCE_MODES).optional().default("online"),
    joinUrl: optionalHttpUrl,
    venueName: optionalText(200),
    venueAddress: optionalText(500),
    mapUrl: optionalHttpUrl,
    groupId: z
      .union([z.string(), z.number(), z.null()])
      .optional()
      .transform((v) => (v === undefined || v === null || v === "" ? null : Number(v)))
      .refine((v) => v === null || (Number.isInteger(v) && v > 0 && v <= MAX_INT4), "form.invalid"),
    registrationQuestions: registrationQuestionsField,
  })
  .transform((input, ctx) => {
    const startsAt = zonedLocalToUtc(input.startsLocal, input.timeZone);
    const endsAt = zonedLocalToUtc(input.endsLocal, input.timeZone);
    if (!startsAt) ctx.addIssue({ code: "custom", path: ["startsLocal"], message: "events.field.timeInvalid" });
    if (!endsAt) ctx.addIssue({ code: "custom", path: ["endsLocal"], message: "events.field.timeInvalid" });
    if (startsAt && endsAt) {
      if (endsAt <= startsAt) ctx.addIssue({ code: "custom", path: ["endsLocal"], message: "events.field.endBeforeStart" });
      else if (endsAt.getTime() - startsAt.getTime() > EVENT_MAX_HOURS * 3600_000) ctx.addIssue({ code: "custom", path: ["endsLocal"], message: "events.field.tooLong" });
    }
    if (input.kind === "group_event" && input.groupId === null) ctx.addIssue({ code: "custom", path: ["groupId"], message: "form.required" });
    if (input.kind === "webinar" && input.attendanceMode !== "online") ctx.addIssue({ code: "custom", path: ["attendanceMode"], message: "events.field.webinarOnline" });
    if (input.attendanceMode === "in_person" && !input.venueName) ctx.addIssue({ code: "custom", path: ["venueName"], message: "form.required" });
    if (!startsAt || !endsAt) return z.NEVER;
    return { ...input, startsAt, endsAt };
  });
export type EventFormInput = z.input<typeof eventFormSchema>;
export type EventFormData = z.output<typeof eventFormSchema>;

/** Answers to an event's registration questions, checked against its question list. */
export function answersSchema(questions: readonly RegistrationQuestion[]) {
  return z.record(z.string(), z.string()).transform((raw, ctx) => {
    const answers: Record<string, string> = {};
    for (const q of questions) {
      const value = (raw[`answer_${q.id}`] ?? raw[q.id] ?? "").trim();
      if (!value) {
        if (q.required) ctx.addIssue({ code: "custom", path: [`answer_${q.id}`], message: "form.required" });
        continue;
      }
      if (value.length > EVENT_ANSWER_MAX) ctx.addIssue({ code: "custom", path: [`answer_${q.id}`], message: "form.tooLong" });
      else if (q.kind === "choice" && !q.options.includes(value)) ctx.addIssue({ code: "custom", path: [`answer_${q.id}`], message: "form.invalid" });
      else answers[q.id] = value;
    }
    return answers;
  });
}

export const RSVP_CHOICES = ["going", "maybe", "not_going"] as const;
export type RsvpChoice = (typeof RSVP_CHOICES)[number];

export const surveySchema = z.object({
  rating: z.coerce.number({ message: "events.survey.ratingRequired" }).int().min(1, "events.survey.ratingRequired").max(5, "events.survey.ratingRequired"),
  comment: z.string().trim().max(SURVEY_COMMENT_MAX, "form.tooLong").optional().default(""),
});

export const GROUP_NAME_MAX = 120;

export const groupFormSchema = z.object({
  name: z.string().trim().min(1, "form.required").max(GROUP_NAME_MAX, "form.tooLong"),
  slug: optionalSlug,
  kind: z.enum(GROUP_KINDS),
  summary: z.string().trim().max(EVENT_SUMMARY_MAX, "form.tooLong").optional().default(""),
  descriptionMd: z.string().max(EVENT_TEXT_MAX, "form.tooLong").optional().default(""),
  joinPolicy: z.enum(GROUP_JOIN_POLICIES).optional().default("open"),
});
export type GroupFormData = z.output<typeof groupFormSchema>;
