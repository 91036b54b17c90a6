-- The agent's own database: one row per task (a run), its status history and its log.

CREATE TABLE runs (
    task_id          TEXT         PRIMARY KEY,
    status           VARCHAR(20)  NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead_lettered')),
    source_vendor    VARCHAR(20)  NOT NULL,
    source_json      TEXT,
    message_json     TEXT         NOT NULL,             -- the TaskQueueMessage as received: retry and requeue send it again
    session_id       TEXT,
    user_id          TEXT         NOT NULL,
    input_message    TEXT         NOT NULL,
    model            TEXT         NOT NULL,
    agent_type       TEXT         NOT NULL,
    runner           VARCHAR(20),
    priority         INTEGER      NOT NULL DEFAULT 0,
    attempts         INTEGER      NOT NULL DEFAULT 0,   -- starts by a worker, ever (the API's attempts)
    round_attempts   INTEGER      NOT NULL DEFAULT 0,   -- starts since the task was last (re)queued by hand: the dead-letter limit
    correlation_id   VARCHAR(64),
    created_at       TIMESTAMPTZ  NOT NULL,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    duration_ms      BIGINT,
    cost_usd         NUMERIC(14, 6) NOT NULL DEFAULT 0,
    result           TEXT,
    error            TEXT,
    answer_posted    BOOLEAN      NOT NULL DEFAULT FALSE,
    answer_state     VARCHAR(20)  NOT NULL DEFAULT 'none' CHECK (answer_state IN ('none', 'pending', 'posted', 'stored', 'failed')),
    answer_rounds    INTEGER      NOT NULL DEFAULT 0,   -- deliveries that tried to post the answer
    answer_ref       TEXT,                              -- e.g. the GitHub comment id
    cancel_requested BOOLEAN      NOT NULL DEFAULT FALSE,
    current_entry    TEXT,                              -- <stream>/<entry id> allowed to drive this run (fencing)
    retry_at         TIMESTAMPTZ,                       -- queued for a retry: XADD again at this time
    worker           TEXT,                              -- consumer that holds the running attempt
    updated_at       TIMESTAMPTZ  NOT NULL
);

CREATE INDEX runs_created_at_idx ON runs (created_at DESC);
CREATE INDEX runs_status_idx ON runs (status, created_at DESC);
CREATE INDEX runs_source_idx ON runs (source_vendor, created_at DESC);
CREATE INDEX runs_retry_at_idx ON runs (retry_at) WHERE retry_at IS NOT NULL;

CREATE TABLE run_status_history (
    id       BIGSERIAL    PRIMARY KEY,
    task_id  TEXT         NOT NULL REFERENCES runs (task_id) ON DELETE CASCADE,
    status   VARCHAR(20)  NOT NULL,
    at       TIMESTAMPTZ  NOT NULL,
    message  TEXT,
    attempt  INTEGER
);
CREATE INDEX run_status_history_task_idx ON run_status_history (task_id, id);

CREATE TABLE run_log (
    id       BIGSERIAL    PRIMARY KEY,
    task_id  TEXT         NOT NULL REFERENCES runs (task_id) ON DELETE CASCADE,
    seq      BIGINT       NOT NULL,
    at       TIMESTAMPTZ  NOT NULL,
    stream   VARCHAR(10)  NOT NULL CHECK (stream IN ('stdout', 'stderr', 'system')),
    text     TEXT         NOT NULL,
    UNIQUE (task_id, seq)
);
