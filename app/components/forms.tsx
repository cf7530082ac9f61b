import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useTranslateError, useT } from "../features/i18n/use-i18n";

export interface FormState {
  errors?: Record<string, string[]>;
  values?: Record<string, string>;
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  state?: FormState;
  defaultValue?: string | null;
}

function describedBy(name: string, hint: boolean, error: boolean) {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function FieldShell({ name, label, hint, errors, children }: { name: string; label: string; hint?: string; errors?: string[]; children: ReactNode }) {
  const translateError = useTranslateError();
  return (
    <div className={errors?.length ? "field field-invalid" : "field"}>
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p id={`${name}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children}
      {errors?.length ? (
        <p id={`${name}-error`} className="field-error" role="alert">
          {errors.map(translateError).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input whose error is announced and linked with aria-describedby; keeps what was typed. */
export function TextField({ name, label, hint, state, defaultValue, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const errors = state?.errors?.[name];
  return (
    <FieldShell name={name} label={label} hint={hint} errors={errors}>
      <input
        id={name}
        name={name}
        defaultValue={state?.values?.[name] ?? defaultValue ?? undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(name, !!hint, !!errors?.length)}
        {...input}
      />
    </FieldShell>
  );
}

export function TextAreaField({ name, label, hint, state, defaultValue, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const errors = state?.errors?.[name];
  return (
    <FieldShell name={name} label={label} hint={hint} errors={errors}>
      <textarea
        id={name}
        name={name}
        defaultValue={state?.values?.[name] ?? defaultValue ?? undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(name, !!hint, !!errors?.length)}
        {...input}
      />
    </FieldShell>
  );
}

export function SelectField({
  name,
  label,
  hint,
  state,
  defaultValue,
  options,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: ReadonlyArray<{ value: string; label: string }> }) {
  const errors = state?.errors?.[name];
  return (
    <FieldShell name={name} label={label} hint={hint} errors={errors}>
      <select
        id={name}
        name={name}
        defaultValue={state?.values?.[name] ?? defaultValue ?? undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(name, !!hint, !!errors?.length)}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A summary at the top of a form that failed, plus any error not tied to one field. */
export function FormErrors({ state }: { state?: FormState }) {
  const t = useT();
  const translateError = useTranslateError();
  if (!state?.errors || Object.keys(state.errors).length === 0) return null;
  const general = state.errors._form;
  return (
    <div className="notice notice-error" role="alert">
      <p>{general?.length ? general.map(translateError).join(" ") : t("form.errorSummary")}</p>
    </div>
  );
}

export function Notice({ kind = "info", children }: { kind?: "info" | "success" | "error"; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
