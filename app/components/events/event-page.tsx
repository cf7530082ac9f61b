import { Form, Link, useNavigation } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import type { RegistrationQuestion } from "../../../db/schema/events";
import type { EventPage } from "../../features/events/reads.server";
import { adminEventPath, eventCalendarPath, eventCheckInPath, eventRecordingPath } from "../../features/events/paths";
import { RSVP_CHOICES } from "../../features/events/events.schema";
import type { EventDoneNotice } from "../../features/events/catalog.schema";
import { formatDateTime } from "../../features/i18n/format";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";
import { FormErrors, Notice, SelectField, TextAreaField, TextField, type FormState } from "../forms";
import { useNonce } from "../nonce";
import { durationLabel, EventWhen } from "./event-time";

export type EventPageData = SerializeFrom<EventPage>;

export interface EventPageViewProps {
  event: EventPageData;
  signedIn: boolean;
  signInUrl: string;
  done: EventDoneNotice | null;
  jsonLd: string | null;
  /** Staff: link to the staff area's editor. */
  canEditInAdmin: boolean;
  /** The failed form's errors and values (from the action). */
  formState?: FormState & { values?: Record<string, string> };
  /** Where the kind's catalog lives (/webinars or /events) and how a tag filters it. */
  catalog: { path: string; label: string; tagHref: (tag: string) => string };
}

/** A webinar or group-event page: what, when (in the viewer's zone), who, and the registration panel. */
export function EventPageView({ event, signedIn, signInUrl, done, jsonLd, canEditInAdmin, formState, catalog }: EventPageViewProps) {
  const t = useT();
  const nonce = useNonce();
  const isPublic = event.status === "published" || event.status === "cancelled";
  const live = event.hasStarted && !event.hasEnded && event.status === "published";
  return (
    <div className="page event-page">
      {jsonLd ? (
        <script
          type="application/ld+json"
          nonce={nonce}
          // The browser drops the nonce attribute after parsing, so the client never matches it.
          suppressHydrationWarning
          dangerouslySetInnerHTML={{ __html: jsonLd }}
        />
      ) : null}
      <nav aria-label={t("events.detail.breadcrumbs")} className="event-breadcrumbs">
        <ol>
          <li>
            <Link to="/">{t("nav.home")}</Link>
          </li>
          <li>
            <Link to={catalog.path}>{catalog.label}</Link>
          </li>
          {event.group ? (
            <li>
              <Link to={event.group.path}>{event.group.name}</Link>
            </li>
          ) : null}
        </ol>
      </nav>
      <article className="event-layout" aria-labelledby="event-title" lang={event.language}>
        <header className="event-header">
          <p className="event-badges">
            <span className={`badge event-kind event-kind-${event.kind}`}>{t(`events.kind.${event.kind}`)}</span>
            <span className="badge">{t(`events.mode.${event.attendanceMode}`)}</span>
            {live ? <span className="badge badge-ok">{t("events.detail.live")}</span> : null}
            {event.status === "cancelled" ? <span className="badge badge-danger">{t("events.card.cancelled")}</span> : null}
            {!isPublic ? <span className="badge badge-warn">{t(event.status === "draft" ? "events.eventStatus.draft" : "events.eventStatus.pending_approval")}</span> : null}
          </p>
          <h1 id="event-title">{event.title}</h1>
          {event.summary ? <p className="lead">{event.summary}</p> : null}
          {event.status === "cancelled" ? (
            <div className="notice notice-error" role="status">
              <p>{t("events.detail.cancelled")}</p>
              {event.cancelReason ? <p>{t("events.detail.cancelReason", { reason: event.cancelReason })}</p> : null}
            </div>
          ) : null}
          {!isPublic ? <Notice kind="info">{t("events.detail.notPublic")}</Notice> : null}
        </header>

        <aside className="event-aside">
          <RegistrationPanel event={event} signedIn={signedIn} signInUrl={signInUrl} done={done} formState={formState} />
          <section className="section event-facts" aria-labelledby="event-facts-title">
            <h2 id="event-facts-title">{t("events.detail.details")}</h2>
            <dl>
              <div>
                <dt>{t("events.detail.when")}</dt>
                <dd>
                  <EventWhen startsAt={event.startsAt} endsAt={event.endsAt} venueZone={event.timeZone} inPerson={event.attendanceMode === "in_person"} />
                </dd>
              </div>
              <div>
                <dt>{t("events.detail.duration")}</dt>
                <dd>{durationLabel(t, event.startsAt, event.endsAt)}</dd>
              </div>
              {event.attendanceMode === "in_person" ? (
                <div>
                  <dt>{t("events.detail.venue")}</dt>
                  <dd>
                    {event.venueName ? <p className="event-venue-name">{event.venueName}</p> : null}
                    {event.venueAddress ? <address className="event-venue-address">{event.venueAddress}</address> : null}
                    {event.mapUrl ? (
                      <p>
                        <a href={event.mapUrl} rel="noopener noreferrer" target="_blank">
                          {t("events.detail.map")}
                        </a>
                      </p>
                    ) : null}
                  </dd>
                </div>
              ) : (
                <div>
                  <dt>{t("events.detail.format")}</dt>
                  <dd>{t("events.mode.online")}</dd>
                </div>
              )}
              {event.hasEnded ? null : (
                <div>
                  <dt>{t("events.detail.capacity")}</dt>
                  <dd data-testid="event-seats">
                    {event.capacity === null
                      ? t("events.detail.unlimited")
                      : event.isFull
                        ? t("events.detail.fullWaitlist")
                        : t("events.detail.seats", { left: event.seatsLeft ?? 0, capacity: event.capacity })}
                  </dd>
                </div>
              )}
              <div>
                <dt>{t("events.detail.level")}</dt>
                <dd>{t(`events.level.${event.level}`)}</dd>
              </div>
              <div>
                <dt>{t("events.detail.language")}</dt>
                <dd>{t(`events.language.${event.language}`)}</dd>
              </div>
              {event.group ? (
                <div>
                  <dt>{t("events.detail.group")}</dt>
                  <dd>
                    <Link to={event.group.path}>{event.group.name}</Link>
                  </dd>
                </div>
              ) : null}
            </dl>
            {event.status === "published" && !event.hasEnded ? (
              <p>
                <a className="button button-secondary" href={eventCalendarPath(event.kind, event.slug)} download>
                  {t("events.detail.addToCalendar")}
                </a>
              </p>
            ) : null}
          </section>
          {event.canManage ? (
            <section className="section event-organizer" aria-labelledby="event-organizer-title">
              <h2 id="event-organizer-title">{t("events.detail.organizerTools")}</h2>
              <ul className="event-organizer-links">
                {canEditInAdmin ? (
                  <li>
                    <Link to={adminEventPath(event.id)}>{t("events.detail.manage")}</Link>
                  </li>
                ) : null}
                <li>
                  <Link to={eventCheckInPath(event.kind, event.slug)}>{t("events.detail.checkIn")}</Link>
                </li>
              </ul>
            </section>
          ) : null}
        </aside>

        <div className="event-main">
          {event.hasEnded && (event.hasRecording || event.slidesUrl) ? (
            <section className="event-materials" aria-labelledby="event-materials-title">
              <h2 id="event-materials-title">{t("events.detail.materials")}</h2>
              <p className="event-materials-links">
                {event.hasRecording ? (
                  <a className="button" href={eventRecordingPath(event.slug)}>
                    {t("events.detail.recording")}
                  </a>
                ) : null}
                {event.slidesUrl ? (
                  <a className="button button-secondary" href={event.slidesUrl} rel="noopener noreferrer">
                    {t("events.detail.slides")}
                  </a>
                ) : null}
              </p>
            </section>
          ) : null}
          {event.descriptionHtml ? (
            <section aria-labelledby="event-about-title">
              <h2 id="event-about-title">{t("events.detail.about")}</h2>
              {/* Sanitized with an allow-list when it was saved (features/markdown); never rendered per request. */}
              <div className="prose" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
            </section>
          ) : null}
          {event.speakers.length ? (
            <section aria-labelledby="event-speakers-title">
              <h2 id="event-speakers-title">{t("events.detail.speakers")}</h2>
              <ul className="event-speakers">
                {event.speakers.map((s) => (
                  <li key={`${s.name}|${s.title}`}>
                    <span className="event-speaker-name">{s.name}</span>
                    {s.title ? <span className="event-speaker-title muted">{s.title}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {event.agendaHtml ? (
            <section aria-labelledby="event-agenda-title">
              <h2 id="event-agenda-title">{t("events.detail.agenda")}</h2>
              <div className="prose" dangerouslySetInnerHTML={{ __html: event.agendaHtml }} />
            </section>
          ) : null}
          {event.tags.length ? (
            <section aria-labelledby="event-topics-title">
              <h2 id="event-topics-title">{t("events.detail.topics")}</h2>
              <ul className="tag-chips">
                {event.tags.map((tag) => (
                  <li key={tag}>
                    <Link to={catalog.tagHref(tag)} className="badge">
                      {tag}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      </article>
    </div>
  );
}

const DONE_MESSAGES = {
  registered: "events.done.registered",
  waitlisted: "events.done.waitlisted",
  cancelled: "events.done.cancelled",
  rsvp: "events.done.rsvp",
  survey: "events.done.survey",
} as const;

function RegistrationPanel({
  event,
  signedIn,
  signInUrl,
  done,
  formState,
}: {
  event: EventPageData;
  signedIn: boolean;
  signInUrl: string;
  done: EventDoneNotice | null;
  formState?: FormState;
}) {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  const registration = event.registration;
  const open = event.status === "published" && !event.hasEnded;
  const isGroupEvent = event.kind === "group_event";
  const intent = formState?.values?.intent;
  const holds = registration?.status === "registered" || registration?.status === "waitlisted";
  return (
    <section id="registration" className="section event-registration" aria-labelledby="event-registration-title" tabIndex={-1}>
      <h2 id="event-registration-title">{isGroupEvent && open ? t("events.rsvp.heading") : t("events.register.heading")}</h2>
      {done && !formState?.errors ? <Notice kind="success">{t(DONE_MESSAGES[done])}</Notice> : null}
      <FormErrors state={formState} />

      {registration?.status === "registered" ? (
        <p className="event-state event-state-registered" data-testid="registration-state">
          <strong>{t("events.register.registered")}</strong>
        </p>
      ) : null}
      {registration?.status === "waitlisted" ? (
        <div className="event-state event-state-waitlisted" data-testid="registration-state">
          <p>
            <strong>
              {registration.waitlistPosition
                ? t("events.register.waitlisted", { position: registration.waitlistPosition })
                : t("events.register.waitlistedNoPosition")}
            </strong>
          </p>
          {open ? <p className="muted">{t("events.register.waitlistHelp")}</p> : null}
        </div>
      ) : null}
      {registration?.status === "maybe" && isGroupEvent ? (
        <p className="event-state" data-testid="registration-state">
          {t("events.rsvp.current", { choice: t("events.rsvp.maybe") })}
        </p>
      ) : null}

      {registration?.status === "registered" && open ? (
        event.joinUrl ? (
          <p>
            <a className="button event-join" href={event.joinUrl} rel="noopener noreferrer">
              {t("events.join.link")}
            </a>
          </p>
        ) : event.attendanceMode === "online" ? (
          <p className="muted">{t("events.join.opensAt", { time: formatDateTime(event.joinOpensAt, locale, timeZone) })}</p>
        ) : null
      ) : null}

      {event.hasEnded && registration?.attendedAt ? <p>{t("events.attended")}</p> : null}

      {!open ? (
        event.hasEnded && registration?.attendedAt ? (
          <SurveyForm eventId={event.id} answered={registration.surveyAnswered || done === "survey"} formState={intent === "survey" ? formState : undefined} />
        ) : (
          <p className="muted">{event.hasEnded ? t("events.detail.ended") : t("events.register.closed")}</p>
        )
      ) : !signedIn ? (
        <p>
          <Link className="button" to={signInUrl}>
            {isGroupEvent ? t("events.register.signInRsvp") : t("events.register.signIn")}
          </Link>
        </p>
      ) : isGroupEvent ? (
        <RsvpForm event={event} formState={intent === "rsvp" ? formState : undefined} />
      ) : holds ? (
        <CancelForm eventId={event.id} waitlisted={registration?.status === "waitlisted"} />
      ) : (
        <RegisterForm event={event} formState={intent === "register" ? formState : undefined} />
      )}
    </section>
  );
}

function QuestionFields({ questions, answers, formState }: { questions: RegistrationQuestion[]; answers: Record<string, string>; formState?: FormState }) {
  const t = useT();
  return (
    <>
      {questions.map((q) => {
        const name = `answer_${q.id}`;
        const label = q.required ? `${q.label} ${t("events.register.required")}` : q.label;
        return q.kind === "choice" ? (
          <SelectField
            key={q.id}
            name={name}
            label={label}
            state={formState}
            defaultValue={answers[q.id] ?? ""}
            required={q.required}
            options={[{ value: "", label: t("events.register.choose") }, ...q.options.map((o) => ({ value: o, label: o }))]}
          />
        ) : (
          <TextField key={q.id} name={name} label={label} state={formState} defaultValue={answers[q.id] ?? ""} required={q.required} maxLength={500} />
        );
      })}
    </>
  );
}

function useSubmitting(intent: string): boolean {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

function RegisterForm({ event, formState }: { event: EventPageData; formState?: FormState }) {
  const t = useT();
  const submitting = useSubmitting("register");
  return (
    <Form method="post" className="stack event-register-form" preventScrollReset>
      <input type="hidden" name="intent" value="register" />
      <input type="hidden" name="eventId" value={event.id} />
      <QuestionFields questions={event.questions} answers={event.registration?.answers ?? {}} formState={formState} />
      <button type="submit" className="button" disabled={submitting}>
        {event.isFull ? t("events.register.waitlistButton") : t("events.register.button")}
      </button>
    </Form>
  );
}

function CancelForm({ eventId, waitlisted }: { eventId: number; waitlisted: boolean }) {
  const t = useT();
  const submitting = useSubmitting("cancel");
  return (
    <Form method="post" className="event-cancel-form" preventScrollReset>
      <input type="hidden" name="intent" value="cancel" />
      <input type="hidden" name="eventId" value={eventId} />
      <button type="submit" className="button button-secondary" disabled={submitting}>
        {waitlisted ? t("events.register.leaveWaitlist") : t("events.register.cancel")}
      </button>
    </Form>
  );
}

function RsvpForm({ event, formState }: { event: EventPageData; formState?: FormState }) {
  const t = useT();
  const submitting = useSubmitting("rsvp");
  const status = event.registration?.status;
  const current = formState?.values?.choice ?? (status === "registered" || status === "waitlisted" ? "going" : status === "maybe" ? "maybe" : status === "cancelled" ? "not_going" : "");
  const error = formState?.errors?.choice;
  return (
    <Form method="post" className="stack event-rsvp-form" preventScrollReset>
      <input type="hidden" name="intent" value="rsvp" />
      <input type="hidden" name="eventId" value={event.id} />
      <fieldset className="event-choice" aria-describedby={error ? "rsvp-error" : undefined}>
        <legend>{t("events.rsvp.label")}</legend>
        {RSVP_CHOICES.map((choice) => (
          <label key={choice} className="event-choice-option">
            <input type="radio" name="choice" value={choice} defaultChecked={current === choice} required />
            {choice === "going" && event.isFull && status !== "registered" ? `${t("events.rsvp.going")} (${t("events.card.full")})` : t(`events.rsvp.${choice}`)}
          </label>
        ))}
        {error ? (
          <p id="rsvp-error" className="field-error" role="alert">
            {t("form.required")}
          </p>
        ) : null}
      </fieldset>
      {event.questions.length ? <QuestionFields questions={event.questions} answers={event.registration?.answers ?? {}} formState={formState} /> : null}
      <button type="submit" className="button" disabled={submitting}>
        {t("events.rsvp.save")}
      </button>
    </Form>
  );
}

function SurveyForm({ eventId, answered, formState }: { eventId: number; answered: boolean; formState?: FormState }) {
  const t = useT();
  const submitting = useSubmitting("survey");
  if (answered) return <p className="notice notice-success">{t("events.survey.thanks")}</p>;
  const ratingError = formState?.errors?.rating;
  return (
    <Form method="post" className="stack event-survey-form" preventScrollReset>
      <input type="hidden" name="intent" value="survey" />
      <input type="hidden" name="eventId" value={eventId} />
      <h3>{t("events.survey.heading")}</h3>
      <fieldset className="event-choice event-rating" aria-describedby={ratingError ? "rating-error" : "rating-hint"}>
        <legend>{t("events.survey.rating")}</legend>
        <p id="rating-hint" className="field-hint">
          {t("events.survey.ratingLow")} · {t("events.survey.ratingHigh")}
        </p>
        <div className="event-rating-options">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="event-choice-option">
              <input type="radio" name="rating" value={n} defaultChecked={formState?.values?.rating === String(n)} required />
              <span aria-hidden="true">{n}</span>
              <span className="visually-hidden">{t("events.survey.ratingValue", { rating: n })}</span>
            </label>
          ))}
        </div>
        {ratingError ? (
          <p id="rating-error" className="field-error" role="alert">
            {t("events.survey.ratingRequired")}
          </p>
        ) : null}
      </fieldset>
      <TextAreaField name="comment" label={t("events.survey.comment")} state={formState} rows={3} maxLength={2000} />
      <button type="submit" className="button" disabled={submitting}>
        {t("events.survey.submit")}
      </button>
    </Form>
  );
}
