-- The outbound-call log: one row per call github-service makes (or, in dry-run, would make) to GitHub.
-- It doubles as the idempotency store: a row with an Idempotency-Key holds the result to replay.
CREATE TABLE outbound_call (
    id              BIGSERIAL    PRIMARY KEY,
    operation       VARCHAR(64)  NOT NULL,            -- operationId of the API call that caused it (or an auth step)
    method          VARCHAR(10)  NOT NULL,
    url             TEXT         NOT NULL,
    request_body    TEXT,                              -- the JSON sent (or that would have been sent in dry-run)
    status_code     INTEGER,                           -- GitHub's final HTTP status; NULL when no answer came
    vendor_id       VARCHAR(64),                       -- id of what GitHub created (comment id, reaction id)
    duration_ms     BIGINT,                            -- wall time incl. retries and back-off
    dry_run         BOOLEAN      NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,   -- tries it took (retries included); 0 in dry-run
    idempotency_key VARCHAR(200),
    request_hash    VARCHAR(64),                       -- SHA-256 of operation, method, url and body: a reused key must name the same request
    correlation_id  VARCHAR(64),
    caller          VARCHAR(64),                       -- the service token's caller name (gateway, agent, ...)
    error           TEXT,
    state           VARCHAR(16)  NOT NULL,             -- IN_PROGRESS, DONE, FAILED
    result_json     TEXT,                              -- the result replayed for a repeated Idempotency-Key (DONE rows only)
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ,
    CONSTRAINT outbound_call_state_ck CHECK (state IN ('IN_PROGRESS', 'DONE', 'FAILED'))
);

-- The same key performs at most one live call per operation. FAILED rows drop out of the index, so a
-- caller may retry with the same key after a failure (nothing was created), while a DONE row is replayed.
CREATE UNIQUE INDEX outbound_call_idempotency_uq
    ON outbound_call (operation, idempotency_key)
    WHERE idempotency_key IS NOT NULL AND state <> 'FAILED';

CREATE INDEX outbound_call_correlation_idx ON outbound_call (correlation_id, id DESC);
CREATE INDEX outbound_call_dry_run_idx ON outbound_call (dry_run, id DESC);

-- Synthetic ids for dry-run answers: positive, unique, so a caller can edit or react to them later.
CREATE SEQUENCE dry_run_vendor_id_seq START WITH 1 INCREMENT BY 1;
