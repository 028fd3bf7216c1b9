DROP INDEX "submissions_holder_idx";--> statement-breakpoint
CREATE INDEX "submissions_holder_idx" ON "submissions" USING btree ("holder_id") WHERE "submissions"."holder_id" is not null;