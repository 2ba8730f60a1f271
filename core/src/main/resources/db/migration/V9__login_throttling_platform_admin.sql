-- Issue 14, items 5 and 7: login throttling and the platform admin as a users row.

-- Login attempts counted per key and window (realty.api.auth.LoginThrottle). A key is
-- 'account:<sha-256 of the lower-cased username>' (unknown accounts count too, and no typed
-- e-mail is kept) or 'source:<address>'. The window starts with the key's first attempt after the
-- previous window ended. `attempts` gates: every attempt reserves one in the same statement that
-- reads it (so concurrent attempts cannot all slip past the limit), a successful login gives its
-- reservation back; `failures` counts the confirmed failures and tells when the lockout began.
-- Every hot statement is a primary-key lookup or upsert on one key.
CREATE TABLE login_throttles (
    key          text        PRIMARY KEY,
    window_start timestamptz NOT NULL,
    attempts     int         NOT NULL CHECK (attempts >= 0),
    failures     int         NOT NULL DEFAULT 0 CHECK (failures >= 0)
);
-- The sweep of ended windows (run with the outbox relay) looks up by age.
CREATE INDEX login_throttles_window ON login_throttles (window_start);

-- The SaaS operator is a users row like any other (same login, throttling, password change and
-- reset, audit), marked here; it belongs to no company and holds no profile. At most one row
-- carries the mark: the bootstrap's INSERT ... ON CONFLICT DO NOTHING relies on this index to stay
-- single when several instances start at once.
ALTER TABLE users ADD COLUMN platform_admin boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX users_one_platform_admin ON users (platform_admin) WHERE platform_admin;

-- Tenancy in the data layer: the platform admin is outside every company, whoever tries to add it.
CREATE FUNCTION user_companies_no_platform_admin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND platform_admin) THEN
        RAISE EXCEPTION 'the platform admin belongs to no company' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER user_companies_platform_admin_outside BEFORE INSERT OR UPDATE ON user_companies
    FOR EACH ROW EXECUTE FUNCTION user_companies_no_platform_admin();
