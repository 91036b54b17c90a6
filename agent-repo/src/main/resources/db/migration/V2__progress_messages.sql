-- The one progress message of a task, posted where the task came from and edited in place.
-- Its reference survives the worker: a redelivered or retried task edits the same message.

CREATE TABLE progress_messages (
    task_id     TEXT         PRIMARY KEY REFERENCES runs (task_id) ON DELETE CASCADE,
    vendor      VARCHAR(20)  NOT NULL,
    ref         TEXT         NOT NULL,             -- GitHub/Jira comment id, Slack message ts
    state       VARCHAR(20)  NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'final')),
    text        TEXT,                              -- the text last sent (no edit when unchanged)
    edits       INTEGER      NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);
