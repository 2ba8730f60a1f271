-- Password change and reset (issue 14, items 2 and 3); docs/accounts.md.

-- Tokens issued before this instant are refused (realty.api.auth.CallerResolver compares it with the
-- JWT's iat). A JWT's iat has one-second resolution, so the instant is rounded UP to the next whole
-- second: a token issued earlier in the same second is refused too, never let through.
ALTER TABLE users ADD COLUMN tokens_not_before timestamptz;

-- Revocation lives here so that every path revokes, whoever writes the row (the API's password
-- change and reset, PATCH /users deactivating, an operator's SQL): a replaced password, or a
-- deactivation. A first password (an invited user's, set over NULL) revokes nothing. Reactivating
-- never clears the column, so tokens from before a deactivation stay dead.
CREATE FUNCTION users_revoke_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.tokens_not_before := date_trunc('second', clock_timestamp()) + interval '1 second';
    RETURN NEW;
END
$$;

CREATE TRIGGER users_revoke_tokens BEFORE UPDATE OF password_hash, active ON users FOR EACH ROW
    WHEN ((OLD.active AND NOT NEW.active)
          OR (OLD.password_hash IS NOT NULL AND OLD.password_hash IS DISTINCT FROM NEW.password_hash))
    EXECUTE FUNCTION users_revoke_tokens();

-- One row per POST /auth/password-reset, whether or not the e-mail matched an active user (user_id
-- null), so both answers do the same work. The link's token is never stored: only its SHA-256
-- (hex). A request is redeemable while unused, unexpired and the user's newest.
CREATE TABLE password_reset_requests (
    id           uuid PRIMARY KEY,
    user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
    token_hash   text        NOT NULL UNIQUE,
    requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX password_reset_requests_newest ON password_reset_requests (user_id, requested_at DESC) WHERE user_id IS NOT NULL;
