CREATE TABLE `stats_target_day` (
	`day` integer NOT NULL,
	`tier` text NOT NULL,
	`target` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`failovers` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`latency_sum` real DEFAULT 0 NOT NULL,
	`latency_hist` text NOT NULL,
	`ttft_sum` real DEFAULT 0 NOT NULL,
	`ttft_count` integer DEFAULT 0 NOT NULL,
	`ttft_hist` text NOT NULL,
	PRIMARY KEY(`day`, `tier`, `target`)
);
--> statement-breakpoint
CREATE TABLE `stats_target_minute` (
	`minute` integer NOT NULL,
	`tier` text NOT NULL,
	`target` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`failovers` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`latency_sum` real DEFAULT 0 NOT NULL,
	`latency_hist` text NOT NULL,
	`ttft_sum` real DEFAULT 0 NOT NULL,
	`ttft_count` integer DEFAULT 0 NOT NULL,
	`ttft_hist` text NOT NULL,
	PRIMARY KEY(`minute`, `tier`, `target`)
);
