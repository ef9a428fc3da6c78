ALTER TABLE "users" drop column "sort_name";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sort_name" text GENERATED ALWAYS AS (lower((COALESCE(
    NULLIF(TRIM(COALESCE(TRIM("users"."first_name"), '') || ' ' || COALESCE(TRIM("users"."last_name"), '')), ''),
    NULLIF(TRIM("users"."username"), ''),
    'Unknown user')) COLLATE "C")) STORED NOT NULL;--> statement-breakpoint
-- Dropping the column dropped its index; drizzle-kit, whose snapshot still holds the index, does not recreate it.
CREATE INDEX "users_list_idx" ON "users" USING btree ("sort_name" COLLATE "C","id") WHERE "users"."deleted_at" IS NULL;
