package realty.api.auth;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Throttles of the password endpoints (docs/accounts.md), on the login throttle's table and statements
 * with keys of their own:
 * <ul>
 *   <li>reset requests ({@code POST /auth/password-reset}): every request counts, per e-mail (a digest of
 *   it, as typed: unknown addresses count alike, so neither the answer nor the work says whether one
 *   exists) and per source address;</li>
 *   <li>password changes ({@code POST /me/password}): wrong current passwords count, per user, checked
 *   before the password is compared, like a login.</li>
 * </ul>
 * Past a limit the request is refused with {@link Throttled} (429, Retry-After) until the window ends.
 */
@Singleton
public class PasswordThrottle {
    private final LoginThrottleRepository counters;
    private final PasswordThrottleSettings settings;

    public PasswordThrottle(LoginThrottleRepository counters, PasswordThrottleSettings settings) {
        this.counters = counters;
        this.settings = settings;
    }

    /**
     * Counts one reset request for this e-mail and source, or refuses it (giving its count back) when
     * either is past its limit. One statement, the same whatever the e-mail.
     */
    public void resetRequested(String email, @Nullable String sourceIp) throws Throttled {
        String emailKey = LoginThrottle.digestKey("reset-email:", email.trim());
        String sourceKey = LoginThrottle.sourceKey("reset-source:", sourceIp);
        long retryAfter = 0;
        Instant emailWindow = null;
        Instant sourceWindow = null;
        for (LoginThrottleRepository.Counter c : counters.reserve(emailKey, sourceKey, windowSeconds())) {
            boolean isEmail = c.key().equals(emailKey);
            if (isEmail) {
                emailWindow = c.windowStart();
            } else {
                sourceWindow = c.windowStart();
            }
            if (c.attempts() > (isEmail ? settings.getResetEmailLimit() : settings.getResetSourceLimit())) {
                retryAfter = Math.max(retryAfter, Math.max(1, c.retryAfterSeconds()));
            }
        }
        if (retryAfter > 0) {
            counters.release(emailKey, emailWindow, sourceKey, sourceWindow);
            // the same answer for every address: a refusal says nothing about whether it has an account
            throw new Throttled("too many password reset requests; try again later", retryAfter);
        }
    }

    /** A password change's reservation on its user's key; closed by {@link #changeFailed}, {@link #changeSucceeded} or {@link #changeAbandoned}. */
    public record ChangeAttempt(String key, Instant window) {
    }

    /**
     * Reserves a password check for this user, or refuses it when the user's wrong current passwords
     * reached the limit in this window (429 until it ends), the right one included.
     */
    public ChangeAttempt beginChange(UUID userId) throws Throttled {
        String key = "password-change:" + userId;
        List<LoginThrottleRepository.Counter> reserved = counters.reserveOne(key, windowSeconds());
        if (reserved.size() != 1) {
            throw new IllegalStateException("password throttle: the upsert returned " + reserved.size() + " counters");
        }
        LoginThrottleRepository.Counter c = reserved.get(0);
        int limit = settings.getChangeLimit();
        if (c.attempts() > limit) {
            counters.release(key, c.windowStart(), key, c.windowStart());
            // past the limit only while checks are in flight: they may yet succeed, so ask again in a second
            throw new Throttled("too many wrong current passwords; try again later",
                    c.failures() >= limit ? Math.max(1, c.retryAfterSeconds()) : 1);
        }
        return new ChangeAttempt(key, c.windowStart());
    }

    /** The current password was wrong: counted until the window ends. */
    public void changeFailed(ChangeAttempt attempt) {
        counters.fail(attempt.key(), attempt.window(), attempt.key(), attempt.window(), windowSeconds());
    }

    /** The current password was right: the user's window is cleared. */
    public void changeSucceeded(ChangeAttempt attempt) {
        counters.succeed(attempt.key(), attempt.key(), attempt.window());
    }

    /** No password was compared (the account vanished): the reservation is given back. */
    public void changeAbandoned(ChangeAttempt attempt) {
        counters.release(attempt.key(), attempt.window(), attempt.key(), attempt.window());
    }

    private int windowSeconds() {
        return (int) Math.max(1, settings.getWindow().toSeconds());
    }
}
