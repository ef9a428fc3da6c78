CREATE TABLE `organization_memberships` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`clerk_id` text NOT NULL,
	`clerk_organization_id` text NOT NULL,
	`clerk_user_id` text NOT NULL,
	`role` text NOT NULL,
	`clerk_created_at` integer NOT NULL,
	`clerk_updated_at` integer NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organization_memberships_organization_user_unique` ON `organization_memberships` (`clerk_organization_id`,`clerk_user_id`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`clerk_id` text NOT NULL,
	`name` text,
	`slug` text,
	`image_url` text,
	`clerk_updated_at` integer NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_clerk_id_unique` ON `organizations` (`clerk_id`);--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `clerk_organization_id` text;