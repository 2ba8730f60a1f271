package realty.api.invitation;

import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import realty.api.auth.AccessTokens;
import realty.api.auth.AuthController;
import realty.api.auth.PasswordPolicy;
import realty.api.outbox.EventfulTransaction;
import realty.api.security.Access;
import realty.api.security.PasswordHasher;
import realty.api.user.UserRepository;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserInvitationAccepted;
import realty.core.event.payload.UserInvited;
import realty.core.id.TimeOrderedIds;
import realty.core.invitation.InvitationSettings;
import realty.core.invitation.InvitationTokens;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.UPDATE;
import static realty.api.security.PermissionMatrix.Resource.USER;

/**
 * Invitations (docs/accounts.md): a user created without a password gets one; re-sending replaces it;
 * accepting it sets the first password and logs the user in. The database keeps only the hash of a
 * link's token, and the events only the invitation's id ({@link InvitationTokens}).
 */
@Singleton
public class InvitationService {
    private final InvitationRepository invitations;
    private final UserRepository users;
    private final EventfulTransaction writes;
    private final InvitationTokens tokens;
    private final InvitationSettings settings;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final AccessTokens accessTokens;

    public InvitationService(InvitationRepository invitations, UserRepository users, EventfulTransaction writes,
                             InvitationTokens tokens, InvitationSettings settings, PasswordPolicy policy, PasswordHasher hasher,
                             AccessTokens accessTokens) {
        this.invitations = invitations;
        this.users = users;
        this.writes = writes;
        this.tokens = tokens;
        this.settings = settings;
        this.policy = policy;
        this.hasher = hasher;
        this.accessTokens = accessTokens;
    }

    /** A new invitation: its id (from which the link's token is derived) and when it expires. */
    public record Issued(UUID id, Instant expiresAt) {
    }

    /**
     * Opens an invitation for {@code userId}; call it inside the transaction that creates the user (or
     * that superseded the previous invitation).
     */
    public Issued open(UUID userId, String createdBy) {
        UUID id = TimeOrderedIds.next();
        // Whole milliseconds: the instant the event carries is the one the database keeps.
        Instant expiresAt = Instant.now().plus(settings.getValidity()).truncatedTo(ChronoUnit.MILLIS);
        invitations.insert(id, userId, InvitationTokens.hash(tokens.token(id)), expiresAt, createdBy);
        return new Issued(id, expiresAt);
    }

    /**
     * {@code POST /users/{id}/invitation}: a new link for a user who has not accepted yet; the previous
     * link stops working. Who may: those who may update the user (404 outside their scope).
     */
    public InvitationView resend(Caller caller, UUID userId, RequestInfo info) {
        Access.require(caller, USER, UPDATE);
        UserRepository.Row user = users.find(RowScope.of(caller), userId).orElseThrow(() -> ProblemException.notFound("user"));
        UUID company = UUID.fromString(user.companyIds()[0]);
        var committed = writes.execute(c -> {
            InvitationRepository.Invitee invitee = invitations.lockInvitee(userId).orElseThrow(() -> ProblemException.notFound("user"));
            if (!invitee.active()) {
                throw ProblemException.conflict("the user is deactivated: reactivate them before inviting", Map.of());
            }
            if (invitee.hasPassword()) {
                throw ProblemException.conflict("the user has a password already: invitations are for users who have none",
                        Map.of());
            }
            Optional<UUID> previous = invitations.findOpen(userId);
            previous.ifPresent(invitations::supersede);
            Issued issued = open(userId, caller.actorId());
            UserInvited payload = new UserInvited(userId, issued.id(), issued.expiresAt(), previous.orElse(null),
                    invitee.email(), invitee.name(), invitee.locale());
            EventEnvelope event = EventEnvelope.create(EventType.USER_INVITED, company,
                    new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent()),
                    info.requestId(), null, new AggregateRef("user", userId.toString()), payload);
            return new EventfulTransaction.Result<>(issued, List.of(event));
        });
        return new InvitationView(userId, committed.value().id(), committed.value().expiresAt(), committed.events());
    }

    /**
     * {@code POST /auth/invitations/{token}}: sets the user's first password (after the password
     * policy) and answers a token exactly as login does. An unknown token answers 404; an expired,
     * used or superseded one, or one of a user deactivated since, 410 with the reason.
     */
    public AuthController.TokenResponse accept(String token, String password, RequestInfo info) {
        InvitationRepository.Found found = find(token);
        requireUsable(found);
        policy.check(found.email(), password);
        String hash = hasher.hash(password); // outside the transaction: bcrypt takes tens of milliseconds
        writes.execute(c -> {
            invitations.lockInvitee(found.userId());
            if (invitations.accept(found.id()) != 1 || invitations.setFirstPassword(found.userId(), hash) != 1) {
                // Another request used, replaced or voided it since we looked: say which, and write nothing.
                requireUsable(find(token));
                throw gone("it can no longer be used");
            }
            EventEnvelope event = EventEnvelope.create(EventType.USER_INVITATION_ACCEPTED, companyOf(found.userId()),
                    new Actor(found.userId().toString(), null, null, info.sourceIp(), info.userAgent()), info.requestId(), null,
                    new AggregateRef("user", found.userId().toString()), new UserInvitationAccepted(found.userId(), found.id()));
            return new EventfulTransaction.Result<Void>(null, List.of(event));
        });
        return accessTokens.issue(Authentication.build(found.userId().toString()));
    }

    private InvitationRepository.Found find(String token) {
        // A token is 43 characters of base64url; anything much longer is not one of ours.
        if (token == null || token.isEmpty() || token.length() > 100) {
            throw ProblemException.notFound("invitation");
        }
        return invitations.findByTokenHash(InvitationTokens.hash(token)).orElseThrow(() -> ProblemException.notFound("invitation"));
    }

    private static void requireUsable(InvitationRepository.Found i) {
        if (i.acceptedAt() != null || i.userHasPassword()) {
            throw gone("it was used already; log in with your password, or ask for a password reset");
        }
        if (i.supersededAt() != null) {
            throw gone("a newer invitation replaced it; use the link of the latest invitation e-mail");
        }
        if (!i.userActive()) {
            throw gone("the account was deactivated");
        }
        if (!i.expiresAt().isAfter(Instant.now())) {
            throw gone("it expired; ask an administrator of your company to send a new one");
        }
    }

    private UUID companyOf(UUID userId) {
        return users.find(RowScope.system(), userId).map(r -> UUID.fromString(r.companyIds()[0])).orElse(null);
    }

    static ProblemException gone(String reason) {
        return new ProblemException(HttpStatus.GONE, "Invitation no longer valid", "invitation no longer valid: " + reason, null);
    }
}
