CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`last_used_at` integer,
	`request_count` integer DEFAULT 0 NOT NULL,
	`limits` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ts` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`detail` text,
	`client_ip` text
);
--> statement-breakpoint
CREATE INDEX `audit_ts` ON `audit_log` (`ts`);--> statement-breakpoint
CREATE TABLE `config_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ts` integer NOT NULL,
	`author` text NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `health_state` (
	`target` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `requests` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`ts` integer NOT NULL,
	`api_key_id` text,
	`client_ip` text,
	`requested_model` text NOT NULL,
	`tier` text NOT NULL,
	`tier_reason` text,
	`model` text,
	`status` integer NOT NULL,
	`error_class` text,
	`error_message` text,
	`latency_ms` real NOT NULL,
	`ttft_ms` real,
	`overhead_ms` real NOT NULL,
	`attempts` integer NOT NULL,
	`attempt_trace` text NOT NULL,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`token_source` text,
	`cost_usd` real,
	`stream` integer NOT NULL,
	`prompt_preview` text,
	`request_body` text,
	`response_body` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requests_id_unique` ON `requests` (`id`);--> statement-breakpoint
CREATE INDEX `requests_ts` ON `requests` (`ts`);--> statement-breakpoint
CREATE INDEX `requests_status_ts` ON `requests` (`status`,`ts`);--> statement-breakpoint
CREATE INDEX `requests_tier_ts` ON `requests` (`tier`,`ts`);--> statement-breakpoint
CREATE INDEX `requests_model_ts` ON `requests` (`model`,`ts`);--> statement-breakpoint
CREATE INDEX `requests_key_ts` ON `requests` (`api_key_id`,`ts`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`client_ip` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `stats_day` (
	`day` integer NOT NULL,
	`tier` text NOT NULL,
	`model` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`failovers` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`latency_sum` real DEFAULT 0 NOT NULL,
	`latency_hist` text NOT NULL,
	`ttft_sum` real DEFAULT 0 NOT NULL,
	`ttft_count` integer DEFAULT 0 NOT NULL,
	`ttft_hist` text NOT NULL,
	PRIMARY KEY(`day`, `tier`, `model`)
);
--> statement-breakpoint
CREATE TABLE `stats_minute` (
	`minute` integer NOT NULL,
	`tier` text NOT NULL,
	`model` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`failovers` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`latency_sum` real DEFAULT 0 NOT NULL,
	`latency_hist` text NOT NULL,
	`ttft_sum` real DEFAULT 0 NOT NULL,
	`ttft_count` integer DEFAULT 0 NOT NULL,
	`ttft_hist` text NOT NULL,
	PRIMARY KEY(`minute`, `tier`, `model`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`totp_secret` text,
	`totp_enabled` integer DEFAULT false NOT NULL,
	`totp_last_step` integer,
	`recovery_codes` text,
	`sessions_valid_after` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);