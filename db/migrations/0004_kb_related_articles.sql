ALTER TABLE "kb_articles" ADD COLUMN "related_article_ids" integer[];--> statement-breakpoint
ALTER TABLE "kb_articles" ADD COLUMN "related_refreshed_at" timestamp with time zone;