import type { EventKind } from "../../../db/schema/events";
import { ATTENDANCE_MODES, EVENT_LANGUAGES, EVENT_LEVELS } from "../../features/events/admin-events.schema";
import { EVENT_CAPACITY_MAX, EVENT_SLUG_MAX, EVENT_SUMMARY_MAX, EVENT_TEXT_MAX, EVENT_TITLE_MAX } from "../../features/events/events.schema";
import { COMMON_TIME_ZONES } from "../../features/events/zoned-time";
import { useT } from "../../features/i18n/use-i18n";
import { SelectField, TextAreaField, TextField, type FormState } from "../forms";

export interface EventFormFieldsProps {
  kind: EventKind;
  /** Saved values as the form submits them (getAdminEvent's `defaults`), for editing. */
  defaults?: Record<string, string>;
  /** After a refused save: the errors and what was typed (wins over defaults). */
  state?: FormState;
  /** Staff creating a group event choose its group. */
  groups?: ReadonlyArray<{ id: number; name: string }>;
  /** A group leader drafts for their own group only: sent as a hidden field, no choice. */
  fixedGroupId?: number;
  /** The zone preselected for a new event (usually the organizer's own). */
  timeZoneDefault: string;
}

/**
 * The fields of the event form, shared by staff (/admin/webinars) and group leaders (their group's
 * drafts). Field names are exactly those of eventFormSchema, so the route passes the form data straight
 * to createEvent / updateEvent. Works without JavaScript: in-person fields always show for group events.
 */
export function EventFormFields({ kind, defaults = {}, state, groups, fixedGroupId, timeZoneDefault }: EventFormFieldsProps) {
  const t = useT();
  const value = (name: string) => defaults[name];
  const currentZone = state?.values?.timeZone ?? defaults.timeZone ?? timeZoneDefault;
  const zones: string[] = [...COMMON_TIME_ZONES];
  if (currentZone && !zones.includes(currentZone)) zones.unshift(currentZone);
  return (
    <div className="stack event-form">
      <input type="hidden" name="kind" value={kind} />
      {fixedGroupId !== undefined ? <input type="hidden" name="groupId" value={String(fixedGroupId)} /> : null}

      <fieldset className="event-form-section">
        <legend>{t("adminEvents.form.basics")}</legend>
        <TextField name="title" label={t("adminEvents.field.title")} defaultValue={value("title")} required maxLength={EVENT_TITLE_MAX} autoComplete="off" state={state} />
        <TextField
          name="slug"
          label={t("adminEvents.field.slug")}
          hint={t("adminEvents.field.slugHint")}
          defaultValue={value("slug")}
          maxLength={EVENT_SLUG_MAX}
          autoComplete="off"
          spellCheck={false}
          state={state}
        />
        <TextAreaField name="summary" label={t("adminEvents.field.summary")} hint={t("adminEvents.field.summaryHint")} defaultValue={value("summary")} maxLength={EVENT_SUMMARY_MAX} rows={2} state={state} />
        {kind === "group_event" && fixedGroupId === undefined && groups ? (
          <SelectField
            name="groupId"
            label={t("adminEvents.field.group")}
            defaultValue={value("groupId")}
            options={[{ value: "", label: t("adminEvents.field.groupChoose") }, ...groups.map((g) => ({ value: String(g.id), label: g.name }))]}
            state={state}
          />
        ) : null}
      </fieldset>

      <fieldset className="event-form-section">
        <legend>{t("adminEvents.form.when")}</legend>
        <div className="grid-2 event-form-grid">
          <TextField name="startsLocal" type="datetime-local" label={t("adminEvents.field.startsLocal")} defaultValue={value("startsLocal")} required state={state} />
          <TextField name="endsLocal" type="datetime-local" label={t("adminEvents.field.endsLocal")} defaultValue={value("endsLocal")} required state={state} />
          <SelectField
            name="timeZone"
            label={t("adminEvents.field.timeZone")}
            hint={t("adminEvents.field.timeZoneHint")}
            defaultValue={defaults.timeZone ?? timeZoneDefault}
            options={zones.map((z) => ({ value: z, label: z }))}
            state={state}
          />
          <TextField
            name="capacity"
            type="number"
            inputMode="numeric"
            min={1}
            max={EVENT_CAPACITY_MAX}
            label={t("adminEvents.field.capacity")}
            hint={t("adminEvents.field.capacityHint")}
            defaultValue={value("capacity")}
            state={state}
          />
        </div>
      </fieldset>

      <fieldset className="event-form-section">
        <legend>{t("adminEvents.form.where")}</legend>
        {kind === "webinar" ? (
          <input type="hidden" name="attendanceMode" value="online" />
        ) : (
          <SelectField
            name="attendanceMode"
            label={t("adminEvents.field.attendanceMode")}
            defaultValue={value("attendanceMode") ?? "in_person"}
            options={ATTENDANCE_MODES.map((m) => ({ value: m, label: t(`adminEvents.mode.${m}`) }))}
            state={state}
          />
        )}
        <TextField name="joinUrl" type="url" label={t("adminEvents.field.joinUrl")} hint={t("adminEvents.field.joinUrlHint")} defaultValue={value("joinUrl")} autoComplete="off" spellCheck={false} state={state} />
        {kind === "group_event" ? (
          <div className="grid-2 event-form-grid">
            <TextField name="venueName" label={t("adminEvents.field.venueName")} defaultValue={value("venueName")} maxLength={200} state={state} />
            <TextField name="venueAddress" label={t("adminEvents.field.venueAddress")} defaultValue={value("venueAddress")} maxLength={500} state={state} />
            <TextField name="mapUrl" type="url" label={t("adminEvents.field.mapUrl")} defaultValue={value("mapUrl")} autoComplete="off" spellCheck={false} state={state} />
          </div>
        ) : null}
      </fieldset>

      <fieldset className="event-form-section">
        <legend>{t("adminEvents.form.content")}</legend>
        <TextAreaField name="descriptionMd" label={t("adminEvents.field.description")} hint={t("adminEvents.field.markdownHint")} defaultValue={value("descriptionMd")} maxLength={EVENT_TEXT_MAX} rows={8} state={state} />
        <TextAreaField name="agendaMd" label={t("adminEvents.field.agenda")} hint={t("adminEvents.field.markdownHint")} defaultValue={value("agendaMd")} maxLength={EVENT_TEXT_MAX} rows={5} state={state} />
        <TextAreaField name="speakers" label={t("adminEvents.field.speakers")} hint={t("adminEvents.field.speakersHint")} defaultValue={value("speakers")} rows={3} state={state} />
        <div className="grid-2 event-form-grid">
          <SelectField
            name="level"
            label={t("adminEvents.field.level")}
            defaultValue={value("level") ?? "all"}
            options={EVENT_LEVELS.map((l) => ({ value: l, label: t(`adminEvents.level.${l}`) }))}
            state={state}
          />
          <SelectField
            name="language"
            label={t("adminEvents.field.language")}
            defaultValue={value("language") ?? "en"}
            options={EVENT_LANGUAGES.map((l) => ({ value: l, label: t(`adminEvents.language.${l}`) }))}
            state={state}
          />
          <TextField name="tags" label={t("adminEvents.field.tags")} hint={t("adminEvents.field.tagsHint")} defaultValue={value("tags")} autoComplete="off" state={state} />
        </div>
      </fieldset>

      <fieldset className="event-form-section">
        <legend>{t("adminEvents.form.registration")}</legend>
        <TextAreaField
          name="registrationQuestions"
          label={t("adminEvents.field.questions")}
          hint={t("adminEvents.field.questionsHint")}
          defaultValue={value("registrationQuestions")}
          rows={3}
          state={state}
        />
      </fieldset>
    </div>
  );
}
