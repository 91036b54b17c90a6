-- Every outbound call slack-service makes (or would make, in dry-run) to Slack.
-- The row is written before the call ("in_flight") so that a concurrent duplicate with the same
-- Idempotency-Key is refused by the unique index below, then completed with the outcome and the
-- answer we gave our caller (response_status/response_body), which is replayed for that key.
CREATE TABLE outbound_call (
    id              BIGSERIAL     PRIMARY KEY,
    operation       VARCHAR(64)   NOT NULL,
    method          VARCHAR(16)   NOT NULL,
    url             VARCHAR(2048) NOT NULL,
    request_body    TEXT,
    status_code     INTEGER,
    vendor_id       VARCHAR(128),
    duration_ms     BIGINT,
    dry_run         BOOLEAN       NOT NULL,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    idempotency_key VARCHAR(200),
    correlation_id  VARCHAR(64),
    error           TEXT,
    state           VARCHAR(16)   NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    request_hash    VARCHAR(64),
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ,
    CONSTRAINT outbound_call_state_chk CHECK (state IN ('in_flight', 'succeeded', 'failed'))
);

-- One live (in flight or succeeded) call per operation and Idempotency-Key. A failed call does not
-- hold its key: the caller may try again with the same key.
CREATE UNIQUE INDEX outbound_call_idempotency_uq
    ON outbound_call (operation, idempotency_key)
    WHERE idempotency_key IS NOT NULL AND state <> 'failed';

CREATE INDEX outbound_call_correlation_idx ON outbound_call (correlation_id, id);
CREATE INDEX outbound_call_dry_run_idx ON outbound_call (dry_run, id);
