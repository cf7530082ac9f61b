-- Webinars and group events in search (search/documents.ts decides which rows are documents: published
-- ones not yet ended, or with a recording). Same outbox as 0009: statement-level triggers enqueue the
-- affected documents in the writer's transaction. A webinar's key is 'webinar:<id>', a group event's
-- 'event:<id>'.
--
-- Counter updates (registrations, waitlist, attendance) happen on every registration and change nothing a
-- search reads, so they are skipped. follow_up_queued_at is compared on purpose: it is set once an event
-- has ended (the after-session job), which re-checks the document then, so an ended event without a
-- recording leaves the index without a clock-driven job of its own.
CREATE FUNCTION "search_event_key"(kind text, id integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN kind = 'webinar' THEN 'webinar:' ELSE 'event:' END || id
$$;--> statement-breakpoint

CREATE FUNCTION "search_enqueue_events"() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_enqueue(array(SELECT search_event_key(n.kind, n.id) FROM new_rows n WHERE n.status = 'published'));
  ELSIF TG_OP = 'UPDATE' THEN
    -- Both keys when the kind changed, so the old document is removed and the new one added.
    PERFORM search_enqueue(array(
      SELECT DISTINCT unnest(array[search_event_key(o.kind, o.id), search_event_key(n.kind, n.id)])
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (o.status = 'published' OR n.status = 'published')
        AND (o.status, o.kind, o.title, o.summary, o.description_md, o.agenda_md, o.speakers, o.tags, o.language,
             o.starts_at, o.ends_at, o.recording_url, o.follow_up_queued_at, o.published_at)
            IS DISTINCT FROM (n.status, n.kind, n.title, n.summary, n.description_md, n.agenda_md, n.speakers, n.tags, n.language,
             n.starts_at, n.ends_at, n.recording_url, n.follow_up_queued_at, n.published_at)));
  ELSE
    PERFORM search_enqueue(array(SELECT search_event_key(o.kind, o.id) FROM old_rows o WHERE o.status = 'published'));
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "events_search_insert" AFTER INSERT ON "events" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_events"();--> statement-breakpoint
CREATE TRIGGER "events_search_update" AFTER UPDATE ON "events" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_events"();--> statement-breakpoint
CREATE TRIGGER "events_search_delete" AFTER DELETE ON "events" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_events"();--> statement-breakpoint

-- A renamed group changes its events' documents (the group's name is part of them).
CREATE FUNCTION "search_enqueue_user_groups"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_enqueue(array(
    SELECT search_event_key(e.kind, e.id)
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN events e ON e.group_id = n.id AND e.status = 'published'
    WHERE o.name IS DISTINCT FROM n.name));
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "user_groups_search_update" AFTER UPDATE ON "user_groups" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_user_groups"();--> statement-breakpoint

-- Events that already exist are indexed once.
SELECT search_enqueue(array(SELECT search_event_key(kind, id) FROM events WHERE status = 'published'));
