CREATE TABLE "feed_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "feed_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"organization_id" integer,
	"expectation_id" integer,
	"user_id" integer,
	"created_at" bigint NOT NULL,
	CONSTRAINT "feed_events_kind_check" CHECK ("feed_events"."kind" IN ('expectation.created', 'expectation.updated', 'profile.updated', 'membership.ended'))
);
--> statement-breakpoint
CREATE INDEX "feed_events_created_idx" ON "feed_events" USING btree ("created_at");