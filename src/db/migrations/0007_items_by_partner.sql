-- Items carry their submission's partner, so that the lookup by item id is by partner: an id many
-- partners use ("1") is no longer walked through every partner's items. Existing items take the
-- partner of their submission before the column becomes required.
ALTER TABLE "submission_items" ADD COLUMN "partner_id" uuid;--> statement-breakpoint
UPDATE "submission_items" SET "partner_id" = "submissions"."partner_id" FROM "submissions" WHERE "submissions"."id" = "submission_items"."submission_id";--> statement-breakpoint
ALTER TABLE "submission_items" ALTER COLUMN "partner_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "submission_items_by_partner_item_id_idx" ON "submission_items" USING btree ("partner_id","partner_item_id");--> statement-breakpoint
DROP INDEX "submission_items_partner_item_id_idx";
