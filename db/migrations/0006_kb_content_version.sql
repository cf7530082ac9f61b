CREATE TABLE "kb_content_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "kb_content_version" ("id", "version") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "kb_bump_content_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "kb_content_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "kb_articles_content_version" AFTER INSERT OR DELETE OR UPDATE OF
  "collection_id", "locale", "translation_group_id", "slug", "title", "summary", "body_html", "toc", "reading_minutes",
  "word_count", "visibility", "status", "published_at", "position", "credited_user_id", "source_url", "related_article_ids", "updated_at"
  ON "kb_articles" FOR EACH STATEMENT EXECUTE FUNCTION "kb_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "kb_collections_content_version" AFTER INSERT OR UPDATE OR DELETE ON "kb_collections" FOR EACH STATEMENT EXECUTE FUNCTION "kb_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "kb_tags_content_version" AFTER INSERT OR UPDATE OR DELETE ON "kb_tags" FOR EACH STATEMENT EXECUTE FUNCTION "kb_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "kb_article_tags_content_version" AFTER INSERT OR UPDATE OR DELETE ON "kb_article_tags" FOR EACH STATEMENT EXECUTE FUNCTION "kb_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "kb_slug_redirects_content_version" AFTER INSERT OR UPDATE OR DELETE ON "kb_slug_redirects" FOR EACH STATEMENT EXECUTE FUNCTION "kb_bump_content_version"();
