ALTER TABLE "requests" ADD COLUMN "refused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "requests_model_ts" ON "requests" USING btree ("model","ts","seq");--> statement-breakpoint
CREATE INDEX "requests_status_ts" ON "requests" USING btree ("status","ts","seq");--> statement-breakpoint
CREATE INDEX "requests_key_ts" ON "requests" USING btree ("api_key_id","ts","seq");--> statement-breakpoint
CREATE INDEX "requests_refused_ts" ON "requests" USING btree ("ts") WHERE "requests"."refused" = true;