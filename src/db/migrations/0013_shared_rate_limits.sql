-- Rate limits shared by every instance on one database (src/lib/shared-window-limiter.ts): one row per
-- limited key. UNLOGGED: no WAL, so a count costs little; a crash empties the table, which only resets
-- the limits' windows.
CREATE UNLOGGED TABLE IF NOT EXISTS "rate_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"current_count" integer NOT NULL,
	"previous_count" integer NOT NULL
);
