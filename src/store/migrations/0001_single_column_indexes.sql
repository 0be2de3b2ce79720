DROP INDEX `requests_status_ts`;--> statement-breakpoint
DROP INDEX `requests_tier_ts`;--> statement-breakpoint
DROP INDEX `requests_model_ts`;--> statement-breakpoint
DROP INDEX `requests_key_ts`;--> statement-breakpoint
CREATE INDEX `requests_status` ON `requests` (`status`);--> statement-breakpoint
CREATE INDEX `requests_tier` ON `requests` (`tier`);--> statement-breakpoint
CREATE INDEX `requests_model` ON `requests` (`model`);--> statement-breakpoint
CREATE INDEX `requests_key` ON `requests` (`api_key_id`);