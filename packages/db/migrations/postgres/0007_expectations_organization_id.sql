ALTER TABLE "expectations" ADD COLUMN "organization_id" integer;--> statement-breakpoint
ALTER TABLE "expectations" ADD CONSTRAINT "expectations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expectations_organization_idx" ON "expectations" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "expectations_organization_author_idx" ON "expectations" USING btree ("organization_id","author_id","id");--> statement-breakpoint
CREATE INDEX "expectations_organization_assignee_idx" ON "expectations" USING btree ("organization_id","assignee_id","id");--> statement-breakpoint
CREATE INDEX "expectations_organization_status_idx" ON "expectations" USING btree ("organization_id","status","id");