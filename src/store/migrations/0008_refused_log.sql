ALTER TABLE `requests` ADD `refused` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `requests_model_ts` ON `requests` (`model`,`ts`);--> statement-breakpoint
CREATE INDEX `requests_status_ts` ON `requests` (`status`,`ts`);--> statement-breakpoint
CREATE INDEX `requests_key_ts` ON `requests` (`api_key_id`,`ts`);--> statement-breakpoint
CREATE INDEX `requests_refused_ts` ON `requests` (`ts`) WHERE "requests"."refused" = 1;