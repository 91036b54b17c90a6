-- A keyed call that ended without an answer from Sentry to a request that creates something (a note)
-- keeps its key in state 'unanswered' instead of releasing it: Sentry may have stored the note, so the
-- caller's retry with the same key first looks for it (notes created since this time, less a minute).
ALTER TABLE idempotency_record ADD COLUMN unanswered_since TIMESTAMPTZ;  -- start of the first unanswered attempt
COMMENT ON COLUMN idempotency_record.state IS 'in_progress | completed | unanswered';
