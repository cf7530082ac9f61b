import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import type { Db } from "../../../db/client";
import type { EventKind } from "../../../db/schema/events";
import { getEnv } from "../../env.server";
import { requireUser } from "../auth/guards.server";
import { can } from "../auth/permissions";
import { parseForm } from "../forms/parse";
import { invalidForm } from "../forms/responses.server";
import { absoluteUrl, jsonForScript } from "../kb/seo";
import { eventDoneSchema, eventPageActionSchema, eventSlugParam, type EventDoneNotice } from "./catalog.schema";
import { eventPath } from "./paths";
import { getEventPage } from "./reads.server";
import { cancelRegistration, registerForEvent, setRsvp, submitSurvey } from "./registrations.server";
import { failedEventResult, parseEventRouteId } from "./responses.server";
import { eventJsonLd } from "./seo";

// The loader and action shared by /webinars/<slug> and /events/<slug>: the two pages differ only in kind.
// Kept out of the route modules so neither route imports the other.

function slugOf(params: LoaderFunctionArgs["params"]): string {
  const parsed = eventSlugParam.safeParse(params.slug);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function eventPageLoader(db: Db, { request, params, context }: LoaderFunctionArgs, kind: EventKind) {
  const slug = slugOf(params);
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const event = await getEventPage(db, viewer, kind, slug, new Date(), { cached: true });
  if (!event) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const appUrl = getEnv().APP_URL;
  const canonical = absoluteUrl(appUrl, event.path);
  const isPublic = event.status === "published" || event.status === "cancelled";
  const organizer = event.group ? { name: event.group.name, url: absoluteUrl(appUrl, event.group.path) } : { name: "Hearth", url: absoluteUrl(appUrl, "/") };
  const description = event.summary || event.title;
  return json(
    {
      event,
      canonical,
      isPublic,
      signedIn: viewer !== null,
      canEditInAdmin: event.canManage && can(viewer, "events.manage"),
      signInUrl: `/login?redirectTo=${encodeURIComponent(url.pathname)}`,
      done: eventDoneSchema.parse(url.searchParams.get("done")),
      description,
      jsonLd: isPublic
        ? jsonForScript(
            eventJsonLd({
              url: canonical,
              title: event.title,
              description,
              startsAt: event.startsAt,
              endsAt: event.endsAt,
              status: event.status,
              attendanceMode: event.attendanceMode,
              language: event.language,
              venueName: event.venueName,
              venueAddress: event.venueAddress,
              speakers: event.speakers,
              seatsLeft: event.seatsLeft,
              capacity: event.capacity,
              publishedAt: event.publishedAt,
              organizer,
            }),
          )
        : null,
    },
    // The join link and the viewer's registration are personal: never stored by a shared cache.
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** `answer_<questionId>` fields as the form sent them; registerForEvent checks them against the questions. */
function answersOf(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => key.startsWith("answer_")));
}

export async function eventPageAction(db: Db, { request, params, context }: ActionFunctionArgs, kind: EventKind) {
  const slug = slugOf(params);
  const user = requireUser(context, request);
  const actor = { id: user.id, role: user.role };
  const formData = await request.formData();
  const eventId = parseEventRouteId(typeof formData.get("eventId") === "string" ? String(formData.get("eventId")) : undefined);
  const submission = parseForm(formData, eventPageActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string" && !(key in values)) values[key] = value;
  const input = submission.data;
  let done: EventDoneNotice;
  switch (input.intent) {
    case "register": {
      const result = await registerForEvent(db, actor, { eventId, answers: answersOf(values) });
      if (!result.ok) return failedEventResult(result, values);
      done = result.registration.status === "waitlisted" ? "waitlisted" : "registered";
      break;
    }
    case "rsvp": {
      const result = await setRsvp(db, actor, { eventId, choice: input.choice, answers: answersOf(values) });
      if (!result.ok) return failedEventResult(result, values);
      done = input.choice === "going" && result.registration.status === "waitlisted" ? "waitlisted" : "rsvp";
      break;
    }
    case "cancel": {
      const result = await cancelRegistration(db, actor, { eventId });
      if (!result.ok) return failedEventResult(result, values);
      done = "cancelled";
      break;
    }
    case "survey": {
      const result = await submitSurvey(db, actor, { eventId, rating: input.rating, comment: input.comment });
      if (!result.ok) return failedEventResult(result, values);
      done = "survey";
      break;
    }
  }
  return redirect(`${eventPath(kind, slug)}?done=${done}#registration`);
}
