CREATE TABLE "events_content_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "events_content_version" ("id", "version") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "events_bump_content_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "events_content_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "events_content_version" AFTER INSERT OR UPDATE OR DELETE ON "events" FOR EACH STATEMENT EXECUTE FUNCTION "events_bump_content_version"();--> statement-breakpoint
CREATE TRIGGER "user_groups_events_content_version" AFTER INSERT OR UPDATE OR DELETE ON "user_groups" FOR EACH STATEMENT EXECUTE FUNCTION "events_bump_content_version"();
