-- Slack, Jira and Sentry webhooks (issue 4).

-- Enrichment before a task may be queued: Sentry tasks get the issue's stack trace from
-- sentry-service after the webhook was answered. While enrich_state is 'pending' the outbox
-- does not push the row; 'done' (enriched) and 'failed' (queued with a note instead) may go.
-- NULL: the task needs no enrichment.
ALTER TABLE task ADD COLUMN enrich_state    VARCHAR(16) CHECK (enrich_state IN ('pending', 'done', 'failed'));
ALTER TABLE task ADD COLUMN enrich_attempts INTEGER     NOT NULL DEFAULT 0;
ALTER TABLE task ADD COLUMN enrich_next_at  TIMESTAMPTZ;
ALTER TABLE task ADD COLUMN enrich_error    TEXT;
CREATE INDEX task_enrich_due ON task (enrich_next_at) WHERE enrich_state = 'pending';

-- "At most one task per key within a window" (e.g. sentry:<issue_id>: an alert firing again and
-- again for the same Sentry issue). Claimed in the task's own transaction; a key whose window
-- has passed may be claimed again.
CREATE TABLE task_dedupe (
    dedupe_key VARCHAR(200) PRIMARY KEY,
    task_id    VARCHAR(64)  NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL
);
