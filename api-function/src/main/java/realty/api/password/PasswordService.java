package realty.api.password;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import realty.api.auth.PasswordPolicy;
import realty.api.auth.PasswordThrottle;
import realty.api.outbox.EventfulTransaction;
import realty.api.security.PasswordHasher;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.PasswordChanged;
import realty.core.event.payload.PasswordResetRequested;
import realty.core.security.Caller;
import realty.core.security.PasswordResetSettings;
import realty.core.security.PasswordResetTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Password change (POST /me/password) and reset (POST /auth/password-reset and its link). Every
 * replaced password revokes the tokens issued before it (the V8 trigger sets
 * {@code users.tokens_not_before}, {@link realty.api.auth.CallerResolver} compares it with the
 * token's {@code iat}). The events name users and requests, never a password, hash or token.
 */
@Singleton
public class PasswordService {
    private final AccountPasswordRepository accounts;
    private final PasswordResetRepository resets;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final PasswordResetTokens tokens;
    private final PasswordResetSettings settings;
    private final EventfulTransaction writes;
    private final PasswordThrottle throttle;

    public PasswordService(AccountPasswordRepository accounts, PasswordResetRepository resets, PasswordHasher hasher,
                           PasswordPolicy policy, PasswordResetTokens tokens, PasswordResetSettings settings,
                           EventfulTransaction writes, PasswordThrottle throttle) {
        this.throttle = throttle;
        this.accounts = accounts;
        this.resets = resets;
        this.hasher = hasher;
        this.policy = policy;
        this.tokens = tokens;
        this.settings = settings;
        this.writes = writes;
    }

    /**
     * Replaces the caller's password after checking the current one; a wrong one is a 403 (audited), and
     * past {@code realty.security.password-throttle.change-limit} of them a 429 ({@link PasswordThrottle}).
     */
    public void change(Caller caller, String currentPassword, String newPassword, RequestInfo info) {
        if (caller.userId() == null) {
            throw ProblemException.conflict("this account's password is set in configuration", null);
        }
        PasswordThrottle.ChangeAttempt attempt = throttle.beginChange(caller.userId());
        boolean matches;
        try {
            String hash = accounts.passwordHash(caller.userId())
                    .orElseThrow(() -> ProblemException.unauthorized("user unknown or deactivated"));
            matches = hasher.matches(currentPassword, hash);
        } catch (RuntimeException e) {
            throttle.changeAbandoned(attempt);
            throw e;
        }
        if (!matches) {
            throttle.changeFailed(attempt);
            throw ProblemException.forbidden("the current password does not match");
        }
        throttle.changeSucceeded(attempt);
        policy.check(caller.username(), newPassword);
        String newHash = hasher.hash(newPassword);
        Actor actor = new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent());
        writes.execute(c -> {
            if (accounts.setPassword(caller.userId(), newHash) != 1) {
                throw ProblemException.unauthorized("user unknown or deactivated");
            }
            return new EventfulTransaction.Result<Void>(null, List.of(changed(caller.userId(), null, actor, info)));
        });
        awaitCutOff(caller.userId());
    }

    /**
     * Records a reset request and its event whatever the e-mail: an unknown or deactivated one is
     * stored with no user, so both answers do the same work (one look-up, one insert, one event) and
     * take the same time; whether a mail goes out is decided by notification-function.
     */
    public void requestReset(String email, RequestInfo info) {
        requireConfigured();
        // Counted before anything else, the same statement whatever the e-mail; past a limit: 429, no row, no event.
        throttle.resetRequested(email, info.sourceIp());
        Optional<UUID> user = accounts.activeUserByEmail(email.trim());
        UUID requestId = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(settings.getTtl());
        String tokenHash = PasswordResetTokens.hash(tokens.token(requestId));
        EventEnvelope event = EventEnvelope.create(EventType.USER_PASSWORD_RESET_REQUESTED, null,
                new Actor(null, null, null, info.sourceIp(), info.userAgent()), info.requestId(), null,
                new AggregateRef("password_reset", requestId.toString()),
                new PasswordResetRequested(requestId, user.orElse(null), expiresAt));
        writes.execute(c -> {
            resets.insert(requestId, user.orElse(null), tokenHash, expiresAt);
            return new EventfulTransaction.Result<Void>(null, List.of(event));
        });
    }

    /**
     * Sets a new password through a reset link: the link must be known, unused, the user's newest
     * and unexpired (410 otherwise, with the reason); it is used up in the same transaction.
     */
    public void reset(String token, String newPassword, RequestInfo info) {
        requireConfigured();
        PasswordResetRepository.Link link = (token.length() > 100 ? Optional.<PasswordResetRepository.Link>empty()
                : resets.findByTokenHash(PasswordResetTokens.hash(token)))
                .filter(l -> l.userId() != null)
                .orElseThrow(() -> ProblemException.notFound("password reset link"));
        if (link.usedAt() != null) {
            throw gone("this password reset link was already used");
        }
        if (link.superseded()) {
            throw gone("a newer password reset link replaced this one");
        }
        if (!Instant.now().isBefore(link.expiresAt())) {
            throw gone("this password reset link has expired");
        }
        UUID userId = link.userId();
        String email = accounts.email(userId).orElseThrow(() -> gone("the account of this link is deactivated"));
        policy.check(email, newPassword);
        String newHash = hasher.hash(newPassword);
        Actor actor = new Actor(userId.toString(), null, null, info.sourceIp(), info.userAgent());
        writes.execute(c -> {
            if (resets.markUsed(link.id()) != 1) {
                throw gone("this password reset link was already used");
            }
            if (accounts.setPassword(userId, newHash) != 1) {
                throw gone("the account of this link is deactivated");
            }
            return new EventfulTransaction.Result<Void>(null, List.of(changed(userId, link.id(), actor, info)));
        });
        awaitCutOff(userId);
    }

    private static EventEnvelope changed(UUID userId, UUID requestId, Actor actor, RequestInfo info) {
        return EventEnvelope.create(EventType.USER_PASSWORD_CHANGED, null, actor, info.requestId(), null,
                new AggregateRef("user", userId.toString()),
                new PasswordChanged(userId, requestId == null ? PasswordChanged.CHANGE : PasswordChanged.RESET, requestId));
    }

    /**
     * Answers only once the revocation instant (rounded up to a whole second, as a JWT's iat is) has
     * passed, so that a login right after the answer gets a token that is not refused.
     */
    private void awaitCutOff(UUID userId) {
        accounts.tokensNotBefore(userId).ifPresent(cutOff -> {
            long wait = Duration.between(Instant.now(), cutOff).toMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(Math.min(wait, 2_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    private void requireConfigured() {
        if (!tokens.configured()) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                    "password reset is not configured", null);
        }
    }

    static ProblemException gone(String detail) {
        return new ProblemException(HttpStatus.GONE, "Link no longer valid", detail, null);
    }
}
