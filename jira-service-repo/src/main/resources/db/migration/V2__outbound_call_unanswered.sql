-- A call whose request may have reached Jira without an answer coming back (a timeout, a reset, a
-- process that died mid-call): Jira may have carried it out all the same. A retry of a comment with
-- the same Idempotency-Key first looks on Jira for a comment created since then (minus a minute)
-- before it posts again.
ALTER TABLE outbound_call ADD COLUMN unanswered_since TIMESTAMPTZ;

-- the failed calls of a key (the partial unique index covers only the live ones)
CREATE INDEX outbound_call_idempotency_key_idx
    ON outbound_call (operation, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
