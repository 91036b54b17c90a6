-- Every call sentry-service makes (or, in dry-run, would make) to the Sentry API.
CREATE TABLE outbound_call (
    id               BIGSERIAL    PRIMARY KEY,
    operation        VARCHAR(64)  NOT NULL,           -- operationId of the API call that caused it
    method           VARCHAR(10)  NOT NULL,
    url              TEXT         NOT NULL,
    request_body     TEXT,
    status_code      INTEGER,                         -- last HTTP status from Sentry; NULL when none came
    vendor_id        VARCHAR(200),                    -- id of what Sentry returned/created (issue, event, note)
    duration_ms      BIGINT,
    dry_run          BOOLEAN      NOT NULL,
    attempts         INTEGER      NOT NULL,
    idempotency_key  VARCHAR(200),
    correlation_id   VARCHAR(64),
    error            TEXT,
    response_body    TEXT,                            -- Sentry's answer (truncated), for diagnosis
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX outbound_call_created_idx     ON outbound_call (created_at DESC, id DESC);
CREATE INDEX outbound_call_correlation_idx ON outbound_call (correlation_id);

-- One row per (operation, Idempotency-Key): the unique constraint is what makes concurrent
-- duplicates safe; the stored response is replayed for every later request with the same key.
CREATE TABLE idempotency_record (
    id               BIGSERIAL    PRIMARY KEY,
    operation        VARCHAR(64)  NOT NULL,
    idempotency_key  VARCHAR(200) NOT NULL,
    request_hash     VARCHAR(64)  NOT NULL,
    state            VARCHAR(16)  NOT NULL,           -- in_progress | completed
    response_status  INTEGER,
    response_body    TEXT,                            -- the JSON this service answered, replayed verbatim
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_record_key_uq UNIQUE (operation, idempotency_key)
);
