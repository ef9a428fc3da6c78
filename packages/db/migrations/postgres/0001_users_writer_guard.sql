-- Rule 1, enforced by the database: only the mirror writer writes `users`.
--
-- The writer opens each of its transactions with set_config('expectations.mirror_writer', 'on',
-- true): a transaction-local setting that PostgreSQL resets when that transaction ends, so it is
-- never seen by another transaction, another connection of the pool, or another replica. Every
-- INSERT, UPDATE, DELETE or TRUNCATE on `users` without it fails with the message below, from
-- whichever connection it comes: the API's queries, a script, or psql.
CREATE FUNCTION "users_written_only_by_the_mirror_writer"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('expectations.mirror_writer', true) IS DISTINCT FROM 'on' THEN
		RAISE EXCEPTION 'users is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the user in Clerk; its webhook updates this row.'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_LEVEL = 'STATEMENT' THEN
		RETURN NULL;
	ELSIF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "users_written_only_by_the_mirror_writer" BEFORE INSERT OR UPDATE OR DELETE ON "users"
	FOR EACH ROW EXECUTE FUNCTION "users_written_only_by_the_mirror_writer"();
--> statement-breakpoint
CREATE TRIGGER "users_truncated_only_by_the_mirror_writer" BEFORE TRUNCATE ON "users"
	FOR EACH STATEMENT EXECUTE FUNCTION "users_written_only_by_the_mirror_writer"();
