-- Invitations (issue 14): a user created without a password gets a single-use link by e-mail and
-- sets the password through it. Until then the user has no password and cannot log in.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

-- One row per invitation sent. Only a hash of the link's token is kept (hex SHA-256); the token is
-- HMAC(realty.invitations.secret, id), which the notification function derives to build the link.
-- Re-sending supersedes the open invitation; accepting one uses it. Rows are kept as the history.
-- No company_id: an invitation belongs to its user, whose companies scope who may re-send it.
CREATE TABLE user_invitations (
    id            uuid PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    text        NOT NULL UNIQUE,
    expires_at    timestamptz NOT NULL,
    created_by    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    accepted_at   timestamptz,
    superseded_at timestamptz,
    CHECK (accepted_at IS NULL OR superseded_at IS NULL)
);
-- At most one open invitation per user: a re-send supersedes the previous one in the same transaction.
CREATE UNIQUE INDEX user_invitations_open ON user_invitations (user_id) WHERE accepted_at IS NULL AND superseded_at IS NULL;
