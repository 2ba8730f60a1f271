package realty.api.auth;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.outbox.EventfulTransaction;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.SecurityLoginFailed;
import realty.core.event.payload.SecurityLoginLocked;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Login throttling (docs/accounts.md, "Login throttling"): at most {@code account-limit} failed logins
 * per username and {@code source-limit} per source address in a window; beyond that every login of
 * that account or address answers 429 until the window ends, a correct password included. Each
 * attempt reserves its place before the password is checked, in one statement, so concurrent
 * attempts never get more checks than the limit; the state is in the database, shared by every
 * Lambda instance. Failures are audited as {@code security.login_failed}, the start of a lockout as
 * {@code security.login_locked}.
 */
@Singleton
public class LoginThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private final LoginThrottleRepository counters;
    private final LoginThrottleSettings settings;
    private final EventfulTransaction writes;
    private final Duration passwordWindow;

    public LoginThrottle(LoginThrottleRepository counters, LoginThrottleSettings settings, EventfulTransaction writes,
                         PasswordThrottleSettings passwordThrottles) {
        this.counters = counters;
        this.settings = settings;
        this.writes = writes;
        this.passwordWindow = passwordThrottles.getWindow();
    }

    /**
     * One login attempt's reservation.
     *
     * @param retryAfterSeconds above 0: refused, answer 429 with this Retry-After
     */
    public record Attempt(String accountKey, String sourceKey, @Nullable String source,
                          Instant accountWindow, Instant sourceWindow, long retryAfterSeconds) {
        public boolean refused() {
            return retryAfterSeconds > 0;
        }
    }

    /** Reserves an attempt for this username and source; a refused one reserves nothing. */
    public Attempt begin(String username, @Nullable String sourceIp) {
        String accountKey = accountKey(username);
        String sourceKey = sourceKey(sourceIp);
        LoginThrottleRepository.Counter account = null;
        LoginThrottleRepository.Counter source = null;
        for (LoginThrottleRepository.Counter c : counters.reserve(accountKey, sourceKey, windowSeconds())) {
            if (c.key().equals(accountKey)) {
                account = c;
            } else {
                source = c;
            }
        }
        if (account == null || source == null) {
            throw new IllegalStateException("login throttle: the upsert returned no counter for a key");
        }
        long retryAfter = Math.max(retryAfter(account, settings.getAccountLimit()), retryAfter(source, settings.getSourceLimit()));
        Attempt attempt = new Attempt(accountKey, sourceKey, sourceIp, account.windowStart(), source.windowStart(), retryAfter);
        if (attempt.refused()) {
            counters.release(accountKey, account.windowStart(), sourceKey, source.windowStart());
        }
        return attempt;
    }

    /**
     * 0 within the limit; past it, the rest of the window once the failures reached the limit, or one
     * second while the limit is taken only by attempts still being checked (they may yet succeed).
     */
    private static long retryAfter(LoginThrottleRepository.Counter c, int limit) {
        if (c.attempts() <= limit) {
            return 0;
        }
        return c.failures() >= limit ? Math.max(1, c.retryAfterSeconds()) : 1;
    }

    public void succeeded(Attempt attempt) {
        counters.succeed(attempt.accountKey(), attempt.sourceKey(), attempt.sourceWindow());
    }

    /**
     * Counts a failed attempt and audits it (and the lockout it starts, if it is the limit-th failure
     * of its window). Never throws: the refusal stands whether or not its audit could be written.
     *
     * @param userId the account's user, null when no account has this username
     */
    public void failed(Attempt attempt, RequestInfo request, String reason, @Nullable UUID userId) {
        try {
            List<LoginThrottleRepository.Counter> after = counters.fail(attempt.accountKey(), attempt.accountWindow(),
                    attempt.sourceKey(), attempt.sourceWindow(), windowSeconds());
            int accountFailures = 0;
            int sourceFailures = 0;
            List<EventEnvelope> events = new ArrayList<>();
            Actor actor = new Actor(null, null, null, request.sourceIp(), request.userAgent());
            AggregateRef account = userId != null ? new AggregateRef("user", userId.toString())
                    : new AggregateRef("login", attempt.accountKey());
            for (LoginThrottleRepository.Counter c : after) {
                boolean isAccount = c.key().equals(attempt.accountKey());
                if (isAccount) {
                    accountFailures = c.failures();
                } else {
                    sourceFailures = c.failures();
                }
                int limit = isAccount ? settings.getAccountLimit() : settings.getSourceLimit();
                // failures only grows within a window, so exactly one failure reaches the limit
                if (c.failures() == limit) {
                    events.add(EventEnvelope.create(EventType.SECURITY_LOGIN_LOCKED, null, actor, request.requestId(), null,
                            isAccount ? account : new AggregateRef("source", attempt.sourceKey()),
                            new SecurityLoginLocked(isAccount ? "account" : "source", c.failures(), limit, c.windowStart(),
                                    c.windowStart().plus(settings.getWindow()))));
                }
            }
            events.add(0, EventEnvelope.create(EventType.SECURITY_LOGIN_FAILED, null, actor, request.requestId(), null, account,
                    new SecurityLoginFailed(reason, accountFailures, sourceFailures, windowSeconds())));
            writes.execute(c -> new EventfulTransaction.Result<Void>(null, events));
        } catch (RuntimeException e) {
            LOG.error("could not count or audit the failed login of request {}", request.requestId(), e);
        }
    }

    /**
     * Drops ended windows of every key kind in the table (logins and {@link PasswordThrottle}'s), so
     * only those older than the longest of the windows; returns how many.
     */
    public int sweep() {
        return counters.dropEnded((int) Math.max(windowSeconds(), passwordWindow.toSeconds()));
    }

    private int windowSeconds() {
        return (int) Math.max(1, settings.getWindow().toSeconds());
    }

    /** The username as typed, lower-cased, as a digest: unknown usernames count too, and no typed e-mail is stored. */
    static String accountKey(String username) {
        return digestKey("account:", username);
    }

    /** {@code prefix} + a digest of the lower-cased text (128 bits of SHA-256, in hex). */
    static String digestKey(String prefix, String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An IPv4 address as it is; an IPv6 address by its /64 prefix, since one subscriber is usually
     * given a whole /64 and could otherwise rotate through addresses. A request without an address
     * (not behind API Gateway) shares one "unknown" key rather than escaping the limit.
     */
    static String sourceKey(@Nullable String sourceIp) {
        return sourceKey("source:", sourceIp);
    }

    static String sourceKey(String prefix, @Nullable String sourceIp) {
        if (sourceIp == null || sourceIp.isBlank()) {
            return prefix + "unknown";
        }
        if (sourceIp.indexOf(':') >= 0 && sourceIp.matches("[0-9A-Fa-f:.]+")) {
            try {
                // an IPv6 literal: no name lookup happens
                byte[] a = InetAddress.getByName(sourceIp).getAddress();
                if (a.length == 16) {
                    return prefix + HexFormat.of().formatHex(a, 0, 8) + "::/64";
                }
            } catch (UnknownHostException e) {
                // not an address after all: keep the text
            }
        }
        return prefix + sourceIp;
    }
}
