-- The gateway's own database.

-- Every task the gateway accepted. The table is also the OUTBOX: a row whose enqueued_at is NULL
-- is not on the Redis queue yet; the relay pushes such rows in created order until it is.
CREATE TABLE task (
    task_id           VARCHAR(64)  PRIMARY KEY,
    status            VARCHAR(16)  NOT NULL CHECK (status IN ('accepted', 'queued')),
    message           JSONB        NOT NULL,              -- the TaskQueueMessage, exactly as enqueued
    priority          INTEGER      NOT NULL CHECK (priority >= 0),
    correlation_id    VARCHAR(64)  NOT NULL,
    idempotency_key   VARCHAR(200) UNIQUE,                -- POST /api/v1/tasks Idempotency-Key
    created_at        TIMESTAMPTZ  NOT NULL,
    enqueued_at       TIMESTAMPTZ,
    stream_entry_id   VARCHAR(64),                        -- the XADD id on agent:tasks:<p>
    enqueue_attempts  INTEGER      NOT NULL DEFAULT 0,
    enqueue_error     TEXT,
    -- the "eyes" reaction on the triggering comment (NULL state: none wanted)
    reaction_key      VARCHAR(200),                       -- Idempotency-Key sent to github-service
    reaction_state    VARCHAR(16)  CHECK (reaction_state IN ('pending', 'done', 'failed')),
    reaction_attempts INTEGER      NOT NULL DEFAULT 0,
    reaction_next_at  TIMESTAMPTZ,
    reaction_error    TEXT
);
CREATE INDEX task_outbox ON task (created_at, task_id) WHERE enqueued_at IS NULL;
CREATE INDEX task_reaction_due ON task (reaction_next_at) WHERE reaction_state = 'pending';

-- Every signed delivery, once: (vendor, delivery_id) is unique, so a redelivery finds the first
-- answer (ack) and creates nothing.
CREATE TABLE delivery (
    id             BIGSERIAL    PRIMARY KEY,
    vendor         VARCHAR(16)  NOT NULL CHECK (vendor IN ('github', 'jira', 'slack', 'sentry')),
    delivery_id    VARCHAR(100) NOT NULL,
    event          VARCHAR(100),
    hook_id        VARCHAR(32),
    outcome        VARCHAR(16)  NOT NULL CHECK (outcome IN ('task_created', 'ignored', 'duplicate', 'pong')),
    reason         TEXT,
    task_id        VARCHAR(64)  REFERENCES task (task_id),
    correlation_id VARCHAR(64),
    ack            JSONB        NOT NULL,                 -- the WebhookAck answered the first time
    received_at    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT delivery_vendor_delivery_id UNIQUE (vendor, delivery_id)
);
CREATE INDEX delivery_received ON delivery (received_at DESC, id DESC);
