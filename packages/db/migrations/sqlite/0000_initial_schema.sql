CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`clerk_id` text NOT NULL,
	`email` text,
	`first_name` text,
	`last_name` text,
	`username` text,
	`image_url` text,
	`clerk_updated_at` integer NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_clerk_id_unique` ON `users` (`clerk_id`);--> statement-breakpoint
CREATE TABLE `expectations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`author_id` integer NOT NULL,
	`assignee_id` integer,
	`title` text NOT NULL,
	`details` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`due_on` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "expectations_status_check" CHECK("expectations"."status" IN ('open', 'met', 'missed', 'withdrawn'))
);
--> statement-breakpoint
CREATE INDEX `expectations_author_idx` ON `expectations` (`author_id`,`id`);--> statement-breakpoint
CREATE INDEX `expectations_assignee_idx` ON `expectations` (`assignee_id`,`id`);--> statement-breakpoint
CREATE INDEX `expectations_status_idx` ON `expectations` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`svix_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`clerk_user_id` text,
	`outcome` text NOT NULL,
	`clerk_updated_at` integer,
	`received_at` integer NOT NULL,
	`duplicate_deliveries` integer DEFAULT 0 NOT NULL,
	`last_delivered_at` integer NOT NULL,
	CONSTRAINT "webhook_events_outcome_check" CHECK("webhook_events"."outcome" IN ('applied', 'stale', 'ignored'))
);
