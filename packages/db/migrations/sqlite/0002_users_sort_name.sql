ALTER TABLE `users` ADD `sort_name` text GENERATED ALWAYS AS (lower(COALESCE(
    NULLIF(TRIM(COALESCE(TRIM("first_name"), '') || ' ' || COALESCE(TRIM("last_name"), '')), ''),
    NULLIF(TRIM("username"), ''),
    'Unknown user'))) VIRTUAL NOT NULL;--> statement-breakpoint
CREATE INDEX `users_list_idx` ON `users` (`sort_name`,`id`) WHERE "users"."deleted_at" IS NULL;