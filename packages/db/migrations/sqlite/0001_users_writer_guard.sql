-- Rule 1, enforced by the database: only the mirror writer writes `users`.
--
-- The writer opens its transaction by inserting the one row of `mirror_writer_flag` and deletes
-- it again before committing, so the row exists only inside the writer's own open transaction:
-- no other connection ever sees it (WAL readers see committed data only, and SQLite lets one
-- writer in at a time). Every INSERT, UPDATE and DELETE on `users` outside that span fails with
-- the message below, whichever connection it comes from: the API's query connection, a script,
-- or the sqlite3 shell.
--
-- Setting the flag calls mirror_writer_connection(), an SQL function that only the writer's own
-- connection registers; on any other connection that INSERT fails to prepare, so the flag cannot
-- be set by hand either.
CREATE TABLE `mirror_writer_flag` (
	`active` integer PRIMARY KEY NOT NULL CHECK (`active` = 1)
);
--> statement-breakpoint
CREATE TRIGGER `mirror_writer_flag_set_only_by_the_writer` BEFORE INSERT ON `mirror_writer_flag`
WHEN mirror_writer_connection() IS NOT 1
BEGIN
	SELECT RAISE(ABORT, 'mirror_writer_flag is set only by the mirror writer''s own connection');
END;
--> statement-breakpoint
CREATE TRIGGER `users_insert_only_by_the_mirror_writer` BEFORE INSERT ON `users`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'users is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the user in Clerk; its webhook updates this row.');
END;
--> statement-breakpoint
CREATE TRIGGER `users_update_only_by_the_mirror_writer` BEFORE UPDATE ON `users`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'users is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the user in Clerk; its webhook updates this row.');
END;
--> statement-breakpoint
CREATE TRIGGER `users_delete_only_by_the_mirror_writer` BEFORE DELETE ON `users`
WHEN NOT EXISTS (SELECT 1 FROM `mirror_writer_flag`)
BEGIN
	SELECT RAISE(ABORT, 'users is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the user in Clerk; its webhook updates this row.');
END;
