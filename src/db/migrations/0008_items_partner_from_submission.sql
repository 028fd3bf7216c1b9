-- A rolling upgrade past 0007 keeps instances of the previous release running beside the new
-- ones for a while. Those insert items without "partner_id", which 0007 made required: every
-- submission they took would fail. An item inserted without its partner now takes the partner of
-- its submission, as 0007 did for the items already stored. Credport itself always sets it; a
-- later release may drop this once no instance older than 0007 can be running.
CREATE FUNCTION "submission_items_partner_from_submission"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "partner_id" INTO NEW."partner_id" FROM "submissions" WHERE "id" = NEW."submission_id";
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "submission_items_partner_from_submission" BEFORE INSERT ON "submission_items"
  FOR EACH ROW WHEN (NEW."partner_id" IS NULL) EXECUTE FUNCTION "submission_items_partner_from_submission"();
