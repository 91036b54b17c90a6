-- Login sessions. Only a hash of the session id is stored: a database dump cannot be replayed as a cookie.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    username   TEXT        NOT NULL,
    csrf_token TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
