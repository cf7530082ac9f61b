-- Search index outbox (search/queue.ts): every write to something a reader can search enqueues the
-- affected documents in the writer's own transaction, so the queue row exists exactly when the change
-- commits and vanishes with a rollback. Statement-level triggers with transition tables: a bulk write
-- (the scale generators insert hundreds of thousands of rows) costs one set-based insert, not one per row.
-- Which rows are documents, and what they contain, is decided by search/documents.ts; these triggers only
-- have to fire whenever that answer may have changed (firing too often costs an idempotent re-index,
-- never a wrong index).
--
-- Comparing a statement's old and new rows joins its two transition tables, which have no statistics:
-- the planner chose nested loops, quadratic in the rows a statement changes (a bulk update of 9,000
-- answers spent 650 ms in the trigger; 120,000 took minutes). Those joins run with nested loops off.
-- Where the same function also looks rows up in a real table, the setting is switched for the join
-- only, because there an index lookup (a nested loop) is what keeps a single post cheap.

-- Collapsed per document: a newer change takes a new revision and makes the row due again at once,
-- forgetting the failures of the old one. Keys are sorted so concurrent writers lock rows in one order.
CREATE FUNCTION "search_enqueue"(keys text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "search_index_queue" ("doc_key", "revision")
  SELECT k, nextval('search_revision_seq') FROM (SELECT DISTINCT k FROM unnest(keys) AS u(k) WHERE k IS NOT NULL ORDER BY k) d
  ON CONFLICT ("doc_key") DO UPDATE SET "revision" = excluded."revision", "attempts" = 0, "next_attempt_at" = now(), "last_error" = null;
$$;--> statement-breakpoint

-- Articles: only published ones are documents; an update matters when it touches what the document holds
-- (never for view or feedback counters, which change on every read).
CREATE FUNCTION "search_enqueue_kb_articles"() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_enqueue(array(SELECT 'article:' || n.id FROM new_rows n WHERE n.status = 'published'));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM search_enqueue(array(
      SELECT 'article:' || n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (o.status = 'published' OR n.status = 'published')
        AND (o.status, o.title, o.body_text, o.visibility, o.locale, o.published_at)
            IS DISTINCT FROM (n.status, n.title, n.body_text, n.visibility, n.locale, n.published_at)));
  ELSE
    PERFORM search_enqueue(array(SELECT 'article:' || o.id FROM old_rows o WHERE o.status = 'published'));
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "kb_articles_search_insert" AFTER INSERT ON "kb_articles" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_kb_articles"();--> statement-breakpoint
CREATE TRIGGER "kb_articles_search_update" AFTER UPDATE ON "kb_articles" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_kb_articles"();--> statement-breakpoint
CREATE TRIGGER "kb_articles_search_delete" AFTER DELETE ON "kb_articles" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_kb_articles"();--> statement-breakpoint

-- An article's tags. Rows removed by an article's own deletion find no article here; the article's
-- delete trigger has enqueued it already.
CREATE FUNCTION "search_enqueue_kb_article_tags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_enqueue(array(
      SELECT 'article:' || a.id FROM kb_articles a WHERE a.status = 'published' AND a.id IN (SELECT n.article_id FROM new_rows n)));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM search_enqueue(array(
      SELECT 'article:' || a.id FROM kb_articles a
      WHERE a.status = 'published' AND a.id IN (SELECT n.article_id FROM new_rows n UNION SELECT o.article_id FROM old_rows o)));
  ELSE
    PERFORM search_enqueue(array(
      SELECT 'article:' || a.id FROM kb_articles a WHERE a.status = 'published' AND a.id IN (SELECT o.article_id FROM old_rows o)));
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "kb_article_tags_search_insert" AFTER INSERT ON "kb_article_tags" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_kb_article_tags"();--> statement-breakpoint
CREATE TRIGGER "kb_article_tags_search_update" AFTER UPDATE ON "kb_article_tags" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_kb_article_tags"();--> statement-breakpoint
CREATE TRIGGER "kb_article_tags_search_delete" AFTER DELETE ON "kb_article_tags" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_kb_article_tags"();--> statement-breakpoint

-- A renamed knowledge-base tag changes every published article carrying it.
CREATE FUNCTION "search_enqueue_kb_tags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_enqueue(array(
    SELECT 'article:' || a.id
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN kb_article_tags at ON at.tag_id = n.id
    JOIN kb_articles a ON a.id = at.article_id AND a.status = 'published'
    WHERE (o.slug, o.name) IS DISTINCT FROM (n.slug, n.name)));
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "kb_tags_search_update" AFTER UPDATE ON "kb_tags" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_kb_tags"();--> statement-breakpoint

-- Questions: visible (not hidden, not deleted) ones are documents. Counter updates (views, followers,
-- votes, answer counts) change nothing a search reads and are skipped.
CREATE FUNCTION "search_enqueue_forum_questions"() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_enqueue(array(SELECT 'question:' || n.id FROM new_rows n WHERE n.hidden_at IS NULL AND n.deleted_at IS NULL));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM search_enqueue(array(
      SELECT 'question:' || n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE ((o.hidden_at IS NULL AND o.deleted_at IS NULL) OR (n.hidden_at IS NULL AND n.deleted_at IS NULL))
        AND (o.title, o.body_text, o.locale, o.hidden_at, o.deleted_at, o.created_at)
            IS DISTINCT FROM (n.title, n.body_text, n.locale, n.hidden_at, n.deleted_at, n.created_at)));
  ELSE
    PERFORM search_enqueue(array(SELECT 'question:' || o.id FROM old_rows o WHERE o.hidden_at IS NULL AND o.deleted_at IS NULL));
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "forum_questions_search_insert" AFTER INSERT ON "forum_questions" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_questions"();--> statement-breakpoint
CREATE TRIGGER "forum_questions_search_update" AFTER UPDATE ON "forum_questions" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_questions"();--> statement-breakpoint
CREATE TRIGGER "forum_questions_search_delete" AFTER DELETE ON "forum_questions" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_questions"();--> statement-breakpoint

-- Answers are part of their question's document (found by words in its answers). Answer scores only
-- order the answers inside the document, so votes do not re-index (the most frequent forum write); the
-- order catches up with the next real change or a rebuild.
CREATE FUNCTION "search_enqueue_forum_answers"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed int[];
  nestloop text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_enqueue(array(
      SELECT 'question:' || q.id FROM forum_questions q
      WHERE q.hidden_at IS NULL AND q.deleted_at IS NULL
        AND q.id IN (SELECT n.question_id FROM new_rows n WHERE n.hidden_at IS NULL AND n.deleted_at IS NULL)));
  ELSIF TG_OP = 'UPDATE' THEN
    nestloop := current_setting('enable_nestloop');
    PERFORM set_config('enable_nestloop', 'off', true);
    changed := array(
      SELECT DISTINCT unnest(array[o.question_id, n.question_id]) FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE ((o.hidden_at IS NULL AND o.deleted_at IS NULL) OR (n.hidden_at IS NULL AND n.deleted_at IS NULL))
        AND (o.question_id, o.body_text, o.hidden_at, o.deleted_at, o.accepted_at)
            IS DISTINCT FROM (n.question_id, n.body_text, n.hidden_at, n.deleted_at, n.accepted_at));
    PERFORM set_config('enable_nestloop', nestloop, true);
    -- A join, not "= ANY(changed)": with thousands of ids that compares every question with every id.
    PERFORM search_enqueue(array(
      SELECT 'question:' || q.id FROM unnest(changed) AS c(id) JOIN forum_questions q ON q.id = c.id
      WHERE q.hidden_at IS NULL AND q.deleted_at IS NULL));
  ELSE
    PERFORM search_enqueue(array(
      SELECT 'question:' || q.id FROM forum_questions q
      WHERE q.hidden_at IS NULL AND q.deleted_at IS NULL
        AND q.id IN (SELECT o.question_id FROM old_rows o WHERE o.hidden_at IS NULL AND o.deleted_at IS NULL)));
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "forum_answers_search_insert" AFTER INSERT ON "forum_answers" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_answers"();--> statement-breakpoint
CREATE TRIGGER "forum_answers_search_update" AFTER UPDATE ON "forum_answers" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_answers"();--> statement-breakpoint
CREATE TRIGGER "forum_answers_search_delete" AFTER DELETE ON "forum_answers" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_answers"();--> statement-breakpoint

-- A question's tags.
CREATE FUNCTION "search_enqueue_forum_question_tags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_enqueue(array(
      SELECT 'question:' || q.id FROM forum_questions q
      WHERE q.hidden_at IS NULL AND q.deleted_at IS NULL AND q.id IN (SELECT n.question_id FROM new_rows n)));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM search_enqueue(array(
      SELECT 'question:' || q.id FROM forum_questions q
      WHERE q.hidden_at IS NULL AND q.deleted_at IS NULL
        AND q.id IN (SELECT n.question_id FROM new_rows n UNION SELECT o.question_id FROM old_rows o)));
  ELSE
    PERFORM search_enqueue(array(
      SELECT 'question:' || q.id FROM forum_questions q
      WHERE q.hidden_at IS NULL AND q.deleted_at IS NULL AND q.id IN (SELECT o.question_id FROM old_rows o)));
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "forum_question_tags_search_insert" AFTER INSERT ON "forum_question_tags" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_question_tags"();--> statement-breakpoint
CREATE TRIGGER "forum_question_tags_search_update" AFTER UPDATE ON "forum_question_tags" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_question_tags"();--> statement-breakpoint
CREATE TRIGGER "forum_question_tags_search_delete" AFTER DELETE ON "forum_question_tags" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_question_tags"();--> statement-breakpoint

-- A renamed forum tag changes every visible question carrying it (question_count updates do not).
CREATE FUNCTION "search_enqueue_forum_tags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_enqueue(array(
    SELECT 'question:' || q.id
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN forum_question_tags qt ON qt.tag_id = n.id
    JOIN forum_questions q ON q.id = qt.question_id AND q.hidden_at IS NULL AND q.deleted_at IS NULL
    WHERE (o.slug, o.name) IS DISTINCT FROM (n.slug, n.name)));
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "forum_tags_search_update" AFTER UPDATE ON "forum_tags" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "search_enqueue_forum_tags"();--> statement-breakpoint

-- An existing database is indexed once: everything searchable today is queued.
SELECT search_enqueue(array(SELECT 'article:' || id FROM kb_articles WHERE status = 'published'));--> statement-breakpoint
SELECT search_enqueue(array(SELECT 'question:' || id FROM forum_questions WHERE hidden_at IS NULL AND deleted_at IS NULL));
