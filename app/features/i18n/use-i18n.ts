import { useRouteLoaderData } from "@remix-run/react";
import { useCallback } from "react";
import type { Locale } from "../../../db/schema/identity";
import { formatDate, formatDateTime } from "./format";
import { translate, translateError, type MessageKey, type MessageParams } from "./messages";

export interface ViewerI18n {
  locale: Locale;
  timeZone: string;
}

/** Language and zone chosen by the root loader; falls back to English/UTC outside it (error pages). */
export function useViewerI18n(): ViewerI18n {
  const data = useRouteLoaderData("root") as ViewerI18n | undefined;
  return { locale: data?.locale ?? "en", timeZone: data?.timeZone ?? "UTC" };
}

export function useT() {
  const { locale } = useViewerI18n();
  return useCallback((key: MessageKey, params?: MessageParams) => translate(locale, key, params), [locale]);
}

export function useTranslateError() {
  const { locale } = useViewerI18n();
  return useCallback((message: string) => translateError(locale, message), [locale]);
}

export function useFormatDateTime() {
  const { locale, timeZone } = useViewerI18n();
  return {
    dateTime: (value: Date | string) => formatDateTime(value, locale, timeZone),
    date: (value: Date | string) => formatDate(value, locale, timeZone),
  };
}
