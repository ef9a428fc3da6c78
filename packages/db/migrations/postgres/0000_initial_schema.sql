CREATE TABLE "users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"clerk_id" text NOT NULL,
	"email" text,
	"first_name" text,
	"last_name" text,
	"username" text,
	"image_url" text,
	"clerk_updated_at" bigint NOT NULL,
	"deleted_at" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "users_clerk_id_unique" UNIQUE("clerk_id")
);
--> statement-breakpoint
CREATE TABLE "expectations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "expectations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"author_id" integer NOT NULL,
	"assignee_id" integer,
	"title" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"due_on" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "expectations_status_check" CHECK ("expectations"."status" IN ('open', 'met', 'missed', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"svix_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"clerk_user_id" text,
	"outcome" text NOT NULL,
	"clerk_updated_at" bigint,
	"received_at" bigint NOT NULL,
	"duplicate_deliveries" integer DEFAULT 0 NOT NULL,
	"last_delivered_at" bigint NOT NULL,
	CONSTRAINT "webhook_events_outcome_check" CHECK ("webhook_events"."outcome" IN ('applied', 'stale', 'ignored'))
);
--> statement-breakpoint
CREATE TABLE "mutation_rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expectations" ADD CONSTRAINT "expectations_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expectations" ADD CONSTRAINT "expectations_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expectations_author_idx" ON "expectations" USING btree ("author_id","id");--> statement-breakpoint
CREATE INDEX "expectations_assignee_idx" ON "expectations" USING btree ("assignee_id","id");--> statement-breakpoint
CREATE INDEX "expectations_status_idx" ON "expectations" USING btree ("status","id");