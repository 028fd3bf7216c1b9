CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"submission_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"partner_asset_id" text NOT NULL,
	"asset_type" text NOT NULL,
	"source" text NOT NULL,
	"source_url" text,
	"state" text NOT NULL,
	"reject_reason" text,
	"blob_key" text,
	"bytes" integer,
	"sha256" text,
	"verification" jsonb,
	"received_at" timestamp with time zone,
	"fetch_attempts" integer DEFAULT 0 NOT NULL,
	"fetch_after" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"partner_id" uuid NOT NULL,
	"key" text NOT NULL,
	"body_hash" text NOT NULL,
	"submission_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_partner_id_key_pk" PRIMARY KEY("partner_id","key")
);
--> statement-breakpoint
CREATE TABLE "submission_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"submission_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"partner_item_id" text NOT NULL,
	"credential_type" text NOT NULL,
	"fields" jsonb,
	"partner_chain" jsonb,
	"display_title" text
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"partner_ref" text NOT NULL,
	"is_current" boolean DEFAULT true NOT NULL,
	"envelope" text NOT NULL,
	"redirect_path" text NOT NULL,
	"document_type" text,
	"body_hash" text NOT NULL,
	"status" text DEFAULT 'incomplete' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"finalized_at" timestamp with time zone,
	"cancel_reason" text,
	"data_deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_item_id_submission_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."submission_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_items" ADD CONSTRAINT "submission_items_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assets_partner_asset_idx" ON "assets" USING btree ("submission_id","partner_asset_id");--> statement-breakpoint
CREATE INDEX "assets_item_idx" ON "assets" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "assets_fetch_queue_idx" ON "assets" USING btree ("fetch_after") WHERE "assets"."state" = 'awaiting_fetch';--> statement-breakpoint
CREATE UNIQUE INDEX "submission_items_partner_item_idx" ON "submission_items" USING btree ("submission_id","partner_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_current_ref_idx" ON "submissions" USING btree ("partner_id","partner_ref") WHERE "submissions"."is_current";--> statement-breakpoint
CREATE INDEX "submissions_incomplete_expiry_idx" ON "submissions" USING btree ("expires_at") WHERE "submissions"."status" = 'incomplete';