-- The outbound-call log of jira-service: one row per request to Jira (retries counted in attempts)
-- or per request that dry-run pretended to send.
CREATE TABLE outbound_call (
    id               BIGSERIAL PRIMARY KEY,
    operation        VARCHAR(64)  NOT NULL,           -- operationId of the API call that caused it
    method           VARCHAR(10)  NOT NULL,
    url              TEXT         NOT NULL,
    request_body     TEXT,                            -- the JSON sent (or that would have been sent)
    status_code      INTEGER,                         -- Jira's HTTP status; NULL when no answer came
    vendor_id        VARCHAR(128),                    -- id of what Jira created or changed
    duration_ms      BIGINT,
    dry_run          BOOLEAN      NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    idempotency_key  VARCHAR(200),
    request_hash     VARCHAR(64),                     -- SHA-256 of what the caller asked for (key reuse check)
    correlation_id   VARCHAR(64),
    error            TEXT,
    outcome          VARCHAR(16)  NOT NULL,           -- in_flight | succeeded | failed
    response_status  INTEGER,                         -- the answer this service gave, kept for replay
    response_body    TEXT,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    CONSTRAINT outbound_call_outcome_ck CHECK (outcome IN ('in_flight', 'succeeded', 'failed'))
);

-- Idempotency: one live (in flight or succeeded) request per operation and key. A failed request
-- frees its key so that the caller can try again; concurrent duplicates collide here.
CREATE UNIQUE INDEX outbound_call_idempotency_uq
    ON outbound_call (operation, idempotency_key)
    WHERE idempotency_key IS NOT NULL AND outcome <> 'failed';

CREATE INDEX outbound_call_correlation_idx ON outbound_call (correlation_id, id DESC);
CREATE INDEX outbound_call_dry_run_idx ON outbound_call (dry_run, id DESC);
