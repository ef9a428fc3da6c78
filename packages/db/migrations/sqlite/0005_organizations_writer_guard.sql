-- Rule 1 for the organizations mirror, as 0001 enforces it for `users`: only the mirror writer
-- writes `organizations` and `organization_memberships`. Every INSERT, UPDATE and DELETE made
-- while the writer's own transaction has not set `mirror_writer_flag` (0001) fails with the
-- message below, whichever connection it comes from: the API's query connection, a script, or
-- the sqlite3 shell.
CREATE TRIGGER `organizations_insert_only_by_the_mirror_writer` BEFORE INSERT ON `organizations`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'organizations is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the organization in Clerk; its webhook updates this row.');
END;
--> statement-breakpoint
CREATE TRIGGER `organizations_update_only_by_the_mirror_writer` BEFORE UPDATE ON `organizations`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'organizations is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the organization in Clerk; its webhook updates this row.');
END;
--> statement-breakpoint
CREATE TRIGGER `organizations_delete_only_by_the_mirror_writer` BEFORE DELETE ON `organizations`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'organizations is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the organization in Clerk; its webhook updates this row.');
END;
--> statement-breakpoint
CREATE TRIGGER `organization_memberships_insert_only_by_the_mirror_writer` BEFORE INSERT ON `organization_memberships`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'organization_memberships is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the membership in Clerk; its webhook updates this row.');
END;
--> statement-breakpoint
CREATE TRIGGER `organization_memberships_update_only_by_the_mirror_writer` BEFORE UPDATE ON `organization_memberships`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'organization_memberships is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the membership in Clerk; its webhook updates this row.');
END;
--> statement-breakpoint
CREATE TRIGGER `organization_memberships_delete_only_by_the_mirror_writer` BEFORE DELETE ON `organization_memberships`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'organization_memberships is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the membership in Clerk; its webhook updates this row.');
END;
