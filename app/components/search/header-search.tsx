import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { SearchDocType } from "../../../search/engine";
import { useT } from "../../features/i18n/use-i18n";
import { searchPageUrl } from "../../features/search/links";
import { SEARCH_QUERY_MAX } from "../../features/search/search.schema";
import { Highlighted } from "./search-results";

export interface Suggestion {
  key: string;
  type: SearchDocType;
  locale: string;
  titleHtml: string;
  url: string;
}

const DEBOUNCE_MS = 200;

/**
 * Fetches /search/suggest for the text typed, debounced, aborting the request of any earlier text so a
 * slow answer never replaces a newer one. Shared by the header box and the ask page.
 */
export function useSuggestions(q: string, options: { for?: "ask"; enabled: boolean; debounceMs?: number }) {
  const [state, setState] = useState<{ q: string; items: Suggestion[]; total: number } | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    const text = q.trim();
    if (!options.enabled || text === "") {
      setState(null);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      const params = new URLSearchParams({ q: text });
      if (options.for) params.set("for", options.for);
      fetch(`/search/suggest?${params.toString()}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ q: string; items: Suggestion[]; total: number }>) : null))
        .then((body) => {
          if (controller.signal.aborted) return;
          setState(body ? { q: text, items: body.items, total: body.total } : { q: text, items: [], total: 0 });
          setLoading(false);
        })
        .catch((error: unknown) => {
          // Aborted: newer text took over. Anything else: no suggestions; the form still works.
          if ((error as Error).name !== "AbortError") {
            setState({ q: text, items: [], total: 0 });
            setLoading(false);
          }
        });
    }, options.debounceMs ?? DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, options.enabled, options.for, options.debounceMs]);
  return { suggestions: state, loading };
}

/**
 * The header's search box. Without JavaScript it is a plain GET form to /search. With JavaScript it is an
 * ARIA 1.2 combobox: suggestions appear as you type; ↑/↓ move through them (aria-activedescendant, focus
 * stays in the box), Enter opens the chosen one or, with none chosen, submits the form to /search; Escape
 * closes the list. Opening a suggestion goes through /search/go, which logs the search and the click.
 */
export function HeaderSearch() {
  const t = useT();
  const id = useId();
  const listId = `${id}-list`;
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [hydrated, setHydrated] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Keep whatever was typed before the scripts arrived.
    setQ(inputRef.current?.value ?? "");
    setHydrated(true);
  }, []);
  const { suggestions, loading } = useSuggestions(q, { enabled: hydrated });

  // The options: the suggestions, then "See all results" (the same as pressing Enter with none chosen).
  const items = suggestions ? [...suggestions.items.map((s) => ({ id: `${id}-opt-${s.key}`, url: s.url, suggestion: s as Suggestion | null })), { id: `${id}-all`, url: searchPageUrl({ q: suggestions.q }), suggestion: null }] : [];
  const expanded = hydrated && open && items.length > 0;

  useEffect(() => {
    setActive(-1);
  }, [suggestions]);

  function go(url: string) {
    setOpen(false);
    window.location.assign(url);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (items.length === 0) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => {
        if (!expanded) return step === 1 ? 0 : items.length - 1;
        const next = current + step;
        return next < -1 ? items.length - 1 : next >= items.length ? -1 : next;
      });
    } else if (event.key === "Enter") {
      const chosen = expanded && active >= 0 ? items[active] : undefined;
      if (chosen) {
        event.preventDefault();
        go(chosen.url);
      }
      // Nothing chosen: the form submits to /search, which logs the search.
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  }

  const activeId = expanded && active >= 0 ? items[active]?.id : undefined;
  return (
    <form method="get" action="/search" role="search" className="header-search">
      <label htmlFor="site-search" className="visually-hidden">
        {t("search.label")}
      </label>
      <input
        ref={inputRef}
        id="site-search"
        type="search"
        name="q"
        placeholder={t("search.placeholder")}
        maxLength={SEARCH_QUERY_MAX}
        autoComplete="off"
        role={hydrated ? "combobox" : undefined}
        aria-autocomplete={hydrated ? "list" : undefined}
        aria-expanded={hydrated ? expanded : undefined}
        aria-controls={hydrated ? listId : undefined}
        aria-activedescendant={activeId}
        value={hydrated ? q : undefined}
        onChange={(event) => {
          setQ(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        // Delay so a click on an option lands before the list closes.
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <button type="submit">{t("search.submit")}</button>
      {hydrated ? (
        <>
          <ul id={listId} role="listbox" aria-label={t("search.suggest.label")} className="search-suggest" hidden={!expanded}>
            {items.map((item, index) =>
              item.suggestion ? (
                <li
                  key={item.id}
                  id={item.id}
                  role="option"
                  aria-selected={index === active}
                  lang={item.suggestion.locale}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => go(item.url)}
                >
                  <span className={`badge search-type-${item.suggestion.type}`}>{t(`search.type.${item.suggestion.type}`)}</span>
                  <Highlighted html={item.suggestion.titleHtml} />
                </li>
              ) : (
                <li
                  key={item.id}
                  id={item.id}
                  role="option"
                  aria-selected={index === active}
                  className="search-suggest-all"
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => go(item.url)}
                >
                  {t("search.suggest.seeAll", { q: suggestions?.q ?? q })}
                </li>
              ),
            )}
          </ul>
          <span className="visually-hidden" role="status" aria-live="polite">
            {loading || !expanded || !suggestions
              ? ""
              : suggestions.items.length === 0
              ? t("search.suggest.none")
              : t("search.suggest.count", { count: suggestions.items.length })}
          </span>
        </>
      ) : null}
    </form>
  );
}
