-- Rule 1 for the organizations mirror, as 0001 enforces it for `users`: only the mirror writer
-- writes `organizations` and `organization_memberships`. Every INSERT, UPDATE, DELETE or TRUNCATE
-- on them from a transaction that did not set the transaction-local 'expectations.mirror_writer'
-- (which only the writer sets) fails with the message below, from whichever connection it comes:
-- the API's queries, a script, or psql. With two roles (MIRROR_WRITER_DATABASE_URL), privileges
-- keep DATABASE_URL's role from writing them at all (src/postgres/privileges.ts).
CREATE FUNCTION "organizations_written_only_by_the_mirror_writer"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('expectations.mirror_writer', true) IS DISTINCT FROM 'on' THEN
		RAISE EXCEPTION 'organizations is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the organization in Clerk; its webhook updates this row.'
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
CREATE TRIGGER "organizations_written_only_by_the_mirror_writer" BEFORE INSERT OR UPDATE OR DELETE ON "organizations"
	FOR EACH ROW EXECUTE FUNCTION "organizations_written_only_by_the_mirror_writer"();
--> statement-breakpoint
CREATE TRIGGER "organizations_truncated_only_by_the_mirror_writer" BEFORE TRUNCATE ON "organizations"
	FOR EACH STATEMENT EXECUTE FUNCTION "organizations_written_only_by_the_mirror_writer"();
--> statement-breakpoint
CREATE FUNCTION "organization_memberships_written_only_by_the_mirror_writer"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('expectations.mirror_writer', true) IS DISTINCT FROM 'on' THEN
		RAISE EXCEPTION 'organization_memberships is a read-only mirror of Clerk: only the Clerk webhook writes it (POST /api/webhooks/clerk through @expectations/db/mirror-writer). Change the membership in Clerk; its webhook updates this row.'
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
CREATE TRIGGER "organization_memberships_written_only_by_the_mirror_writer" BEFORE INSERT OR UPDATE OR DELETE ON "organization_memberships"
	FOR EACH ROW EXECUTE FUNCTION "organization_memberships_written_only_by_the_mirror_writer"();
--> statement-breakpoint
CREATE TRIGGER "organization_memberships_truncated_only_by_the_mirror_writer" BEFORE TRUNCATE ON "organization_memberships"
	FOR EACH STATEMENT EXECUTE FUNCTION "organization_memberships_written_only_by_the_mirror_writer"();
