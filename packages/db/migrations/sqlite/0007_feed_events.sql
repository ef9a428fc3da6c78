CREATE TABLE `feed_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`organization_id` integer,
	`expectation_id` integer,
	`user_id` integer,
	`created_at` integer NOT NULL,
	CONSTRAINT "feed_events_kind_check" CHECK("feed_events"."kind" IN ('expectation.created', 'expectation.updated', 'profile.updated', 'membership.ended'))
);
--> statement-breakpoint
CREATE INDEX `feed_events_created_idx` ON `feed_events` (`created_at`);