ALTER TABLE `expectations` ADD `organization_id` integer REFERENCES organizations(id);--> statement-breakpoint
CREATE INDEX `expectations_organization_idx` ON `expectations` (`organization_id`,`id`);--> statement-breakpoint
CREATE INDEX `expectations_organization_author_idx` ON `expectations` (`organization_id`,`author_id`,`id`);--> statement-breakpoint
CREATE INDEX `expectations_organization_assignee_idx` ON `expectations` (`organization_id`,`assignee_id`,`id`);--> statement-breakpoint
CREATE INDEX `expectations_organization_status_idx` ON `expectations` (`organization_id`,`status`,`id`);