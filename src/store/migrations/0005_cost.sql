ALTER TABLE `requests` ADD `cost_micros` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `baseline_micros` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `baseline_model` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `cost_detail` text;--> statement-breakpoint
ALTER TABLE `stats_day` ADD `cost_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_day` ADD `saved_cost_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_day` ADD `baseline_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_day` ADD `savings_requests` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_day` ADD `unpriced` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_day` ADD `estimated` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_minute` ADD `cost_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_minute` ADD `saved_cost_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_minute` ADD `baseline_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_minute` ADD `savings_requests` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_minute` ADD `unpriced` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_minute` ADD `estimated` integer DEFAULT 0 NOT NULL;