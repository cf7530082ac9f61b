import { GROUP_JOIN_POLICIES, GROUP_KINDS } from "../../features/events/groups.schema";
import { EVENT_SLUG_MAX, EVENT_SUMMARY_MAX, EVENT_TEXT_MAX, GROUP_NAME_MAX } from "../../features/events/events.schema";
import { useT } from "../../features/i18n/use-i18n";
import { SelectField, TextAreaField, TextField, type FormState } from "../forms";

export interface GroupFormDefaults {
  name?: string;
  slug?: string;
  kind?: string;
  summary?: string;
  descriptionMd?: string;
  joinPolicy?: string;
}

/** The fields of the staff group form; names are those of groupFormSchema. */
export function GroupFormFields({ defaults = {}, state }: { defaults?: GroupFormDefaults; state?: FormState }) {
  const t = useT();
  return (
    <>
      <TextField name="name" label={t("groups.field.name")} defaultValue={defaults.name} required maxLength={GROUP_NAME_MAX} autoComplete="off" state={state} />
      <TextField
        name="slug"
        label={t("groups.field.slug")}
        hint={t("groups.field.slugHint")}
        defaultValue={defaults.slug}
        maxLength={EVENT_SLUG_MAX}
        autoComplete="off"
        spellCheck={false}
        state={state}
      />
      <SelectField
        name="kind"
        label={t("groups.field.kind")}
        defaultValue={defaults.kind ?? "region"}
        options={GROUP_KINDS.map((k) => ({ value: k, label: t(`groups.kind.${k}`) }))}
        state={state}
      />
      <SelectField
        name="joinPolicy"
        label={t("groups.field.joinPolicy")}
        defaultValue={defaults.joinPolicy ?? "open"}
        options={GROUP_JOIN_POLICIES.map((p) => ({ value: p, label: t(`groups.field.policy.${p}`) }))}
        state={state}
      />
      <TextAreaField name="summary" label={t("groups.field.summary")} hint={t("groups.field.summaryHint")} defaultValue={defaults.summary} maxLength={EVENT_SUMMARY_MAX} rows={2} state={state} />
      <TextAreaField
        name="descriptionMd"
        label={t("groups.field.description")}
        hint={t("groups.field.descriptionHint")}
        defaultValue={defaults.descriptionMd}
        maxLength={EVENT_TEXT_MAX}
        rows={8}
        state={state}
      />
    </>
  );
}
