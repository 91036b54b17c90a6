-- When the first attempt of a call started that may have reached Slack without an answer coming back
-- (a timeout, a connection lost after sending): Slack may have carried it out. A later request with
-- the same Idempotency-Key reads it from the failed row and looks on Slack (conversations.history /
-- conversations.replies, by message metadata) before sending again; a response_url reply is then
-- not sent again at all. NULL: every attempt was answered, or none left this service.
ALTER TABLE outbound_call ADD COLUMN unanswered_since TIMESTAMPTZ;

-- Failed calls with a key are looked up by (operation, idempotency_key); the unique index above
-- covers live rows only.
CREATE INDEX outbound_call_unanswered_idx
    ON outbound_call (operation, idempotency_key, unanswered_since)
    WHERE idempotency_key IS NOT NULL AND unanswered_since IS NOT NULL;
