CREATE TABLE "forum_content_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "forum_content_version" ("id", "version") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "forum_bump_content_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "forum_content_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "forum_questions_content_version" AFTER INSERT OR DELETE OR UPDATE OF
  "author_id", "title", "slug", "body_html", "locale", "kb_article_id", "score", "upvote_count", "downvote_count", "answer_count",
  "comment_count", "accepted_answer_id", "last_activity_at", "closed_at", "close_reason", "duplicate_of_question_id",
  "duplicate_of_article_id", "locked_at", "hidden_at", "deleted_at", "revision_number", "edited_at", "updated_at"
  ON "forum_questions" FOR EACH STATEMENT EXECUTE FUNCTION "forum_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "forum_answers_content_version" AFTER INSERT OR UPDATE OR DELETE ON "forum_answers" FOR EACH STATEMENT EXECUTE FUNCTION "forum_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "forum_comments_content_version" AFTER INSERT OR UPDATE OR DELETE ON "forum_comments" FOR EACH STATEMENT EXECUTE FUNCTION "forum_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "forum_tags_content_version" AFTER INSERT OR UPDATE OR DELETE ON "forum_tags" FOR EACH STATEMENT EXECUTE FUNCTION "forum_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "forum_question_tags_content_version" AFTER INSERT OR UPDATE OR DELETE ON "forum_question_tags" FOR EACH STATEMENT EXECUTE FUNCTION "forum_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "member_reputation_content_version" AFTER INSERT OR UPDATE OR DELETE ON "member_reputation" FOR EACH STATEMENT EXECUTE FUNCTION "forum_bump_content_version"();
