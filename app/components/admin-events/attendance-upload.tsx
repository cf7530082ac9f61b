import { useMatches, useNavigate } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { useT, useTranslateError } from "../../features/i18n/use-i18n";
import type { FormState } from "../forms";

type Phase = { kind: "idle" } | { kind: "uploading"; percent: number } | { kind: "processing" } | { kind: "error"; message: string };

/**
 * The attendee-report upload. Without JavaScript it is a plain multipart form. With it, the file goes
 * through XMLHttpRequest so `upload.onprogress` can drive a progress bar (fetch cannot report upload
 * progress), then "Processing…" while the server reads the report, then the preview page opens. The
 * request is a Remix data request (`?_data=<route id>`), so a redirect comes back as a header, not a page.
 */
export function AttendanceUploadForm({ maxMegabytes, state }: { maxMegabytes: number; state?: FormState }) {
  const t = useT();
  const translateError = useTranslateError();
  const navigate = useNavigate();
  const routeId = useMatches().at(-1)?.id ?? "";
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const fileInput = useRef<HTMLInputElement>(null);
  const serverError = state?.errors?.file ?? state?.errors?._form;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    if (typeof XMLHttpRequest === "undefined") return;
    event.preventDefault();
    const form = event.currentTarget;
    if (!fileInput.current?.files?.length) {
      setPhase({ kind: "error", message: t("adminEvents.import.noFile") });
      fileInput.current?.focus();
      return;
    }
    const xhr = new XMLHttpRequest();
    const url = new URL(form.action, window.location.href);
    url.searchParams.set("_data", routeId);
    xhr.open("POST", url.toString());
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      setPhase(percent >= 100 ? { kind: "processing" } : { kind: "uploading", percent });
    };
    xhr.upload.onload = () => setPhase({ kind: "processing" });
    xhr.onerror = () => setPhase({ kind: "error", message: t("adminEvents.import.uploadFailed") });
    xhr.onload = () => {
      const location = xhr.getResponseHeader("X-Remix-Redirect");
      if (location) {
        navigate(location);
        return;
      }
      let message = t("adminEvents.import.uploadFailed");
      try {
        const body = JSON.parse(xhr.responseText) as FormState;
        const errors = body.errors?.file ?? body.errors?._form;
        if (errors?.length) message = errors.map(translateError).join(" ");
      } catch {
        // Not JSON (a proxy's error page): the generic message stands.
      }
      setPhase({ kind: "error", message });
    };
    setPhase({ kind: "uploading", percent: 0 });
    xhr.send(new FormData(form));
  }

  const busy = phase.kind === "uploading" || phase.kind === "processing";
  const errorText = phase.kind === "error" ? phase.message : serverError?.length ? serverError.map(translateError).join(" ") : null;
  return (
    <form method="post" encType="multipart/form-data" className="stack ae-upload" onSubmit={onSubmit} noValidate>
      <div className={errorText ? "field field-invalid" : "field"}>
        <label htmlFor="file">{t("adminEvents.import.file", { size: maxMegabytes })}</label>
        <input
          ref={fileInput}
          id="file"
          name="file"
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          required
          aria-invalid={errorText ? true : undefined}
          aria-describedby={errorText ? "file-error" : undefined}
          disabled={busy}
        />
        {errorText ? (
          <p id="file-error" className="field-error" role="alert">
            {errorText}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button" disabled={busy}>
        {t("adminEvents.import.upload")}
      </button>
      <div aria-live="polite">
        {phase.kind === "uploading" ? (
          <>
            <p className="ae-upload-status">{t("adminEvents.import.uploading", { percent: phase.percent })}</p>
            <progress max={100} value={phase.percent} aria-label={t("adminEvents.import.uploading", { percent: phase.percent })} />
          </>
        ) : null}
        {phase.kind === "processing" ? (
          <>
            <p className="ae-upload-status">{t("adminEvents.import.processing")}</p>
            <progress aria-label={t("adminEvents.import.processing")} />
          </>
        ) : null}
      </div>
    </form>
  );
}
