CREATE TABLE "kb_article_daily_views" (
	"article_id" integer NOT NULL,
	"day" date NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kb_article_daily_views_article_id_day_pk" PRIMARY KEY("article_id","day")
);
--> statement-breakpoint
CREATE TABLE "kb_article_revisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kb_article_revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"article_id" integer NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body_md" text NOT NULL,
	"author_id" integer,
	"note" text,
	"restored_from_number" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_article_tags" (
	"article_id" integer NOT NULL,
	"tag_id" integer NOT NULL,
	CONSTRAINT "kb_article_tags_article_id_tag_id_pk" PRIMARY KEY("article_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "kb_article_views" (
	"article_id" integer NOT NULL,
	"day" date NOT NULL,
	"viewer_key" text NOT NULL,
	CONSTRAINT "kb_article_views_article_id_day_viewer_key_pk" PRIMARY KEY("article_id","day","viewer_key")
);
--> statement-breakpoint
CREATE TABLE "kb_articles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kb_articles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"collection_id" integer NOT NULL,
	"locale" text NOT NULL,
	"translation_group_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body_md" text NOT NULL,
	"body_html" text NOT NULL,
	"toc" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"body_text" text NOT NULL,
	"word_count" integer DEFAULT 0 NOT NULL,
	"reading_minutes" integer DEFAULT 1 NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"scheduled_for" timestamp with time zone,
	"position" integer DEFAULT 0 NOT NULL,
	"owner_id" integer,
	"review_by" date,
	"current_revision_id" integer,
	"revision_number" integer DEFAULT 0 NOT NULL,
	"credited_user_id" integer,
	"source_url" text,
	"view_count_total" integer DEFAULT 0 NOT NULL,
	"helpful_yes" integer DEFAULT 0 NOT NULL,
	"helpful_no" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_collections" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kb_collections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name_en" text NOT NULL,
	"name_ja" text NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"description_ja" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_feedback" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kb_feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"article_id" integer NOT NULL,
	"user_id" integer,
	"anonymous_key" text,
	"day" date NOT NULL,
	"helpful" boolean NOT NULL,
	"reason" text,
	"comment" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_slug_redirects" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kb_slug_redirects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"collection_slug" text NOT NULL,
	"slug" text NOT NULL,
	"article_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_tags" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kb_tags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_article_daily_views" ADD CONSTRAINT "kb_article_daily_views_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_revisions" ADD CONSTRAINT "kb_article_revisions_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_revisions" ADD CONSTRAINT "kb_article_revisions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_tags" ADD CONSTRAINT "kb_article_tags_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_tags" ADD CONSTRAINT "kb_article_tags_tag_id_kb_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."kb_tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_views" ADD CONSTRAINT "kb_article_views_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_collection_id_kb_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."kb_collections"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_current_revision_id_kb_article_revisions_id_fk" FOREIGN KEY ("current_revision_id") REFERENCES "public"."kb_article_revisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_credited_user_id_users_id_fk" FOREIGN KEY ("credited_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_slug_redirects" ADD CONSTRAINT "kb_slug_redirects_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_article_daily_views_day_idx" ON "kb_article_daily_views" USING btree ("day","article_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_article_revisions_article_number_key" ON "kb_article_revisions" USING btree ("article_id","number");--> statement-breakpoint
CREATE INDEX "kb_article_tags_tag_idx" ON "kb_article_tags" USING btree ("tag_id","article_id");--> statement-breakpoint
CREATE INDEX "kb_article_views_day_idx" ON "kb_article_views" USING btree ("day");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_articles_collection_slug_key" ON "kb_articles" USING btree ("collection_id","slug");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_articles_translation_locale_key" ON "kb_articles" USING btree ("translation_group_id","locale");--> statement-breakpoint
CREATE INDEX "kb_articles_published_listing_idx" ON "kb_articles" USING btree ("collection_id","position","id") WHERE "kb_articles"."status" = 'published';--> statement-breakpoint
CREATE INDEX "kb_articles_most_read_idx" ON "kb_articles" USING btree ("view_count_total" DESC NULLS LAST,"id") WHERE "kb_articles"."status" = 'published';--> statement-breakpoint
CREATE INDEX "kb_articles_recently_updated_idx" ON "kb_articles" USING btree ("updated_at" DESC NULLS LAST,"id") WHERE "kb_articles"."status" = 'published';--> statement-breakpoint
CREATE INDEX "kb_articles_review_by_idx" ON "kb_articles" USING btree ("review_by","id") WHERE "kb_articles"."review_by" is not null;--> statement-breakpoint
CREATE INDEX "kb_articles_owner_idx" ON "kb_articles" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "kb_articles_title_trgm_idx" ON "kb_articles" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "kb_collections_slug_key" ON "kb_collections" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "kb_collections_position_idx" ON "kb_collections" USING btree ("position","id");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_feedback_member_key" ON "kb_feedback" USING btree ("article_id","user_id") WHERE "kb_feedback"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_feedback_anonymous_key" ON "kb_feedback" USING btree ("article_id","anonymous_key","day") WHERE "kb_feedback"."anonymous_key" is not null;--> statement-breakpoint
CREATE INDEX "kb_feedback_article_created_idx" ON "kb_feedback" USING btree ("article_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_slug_redirects_path_key" ON "kb_slug_redirects" USING btree ("collection_slug","slug");--> statement-breakpoint
CREATE INDEX "kb_slug_redirects_article_idx" ON "kb_slug_redirects" USING btree ("article_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_tags_slug_key" ON "kb_tags" USING btree ("slug");