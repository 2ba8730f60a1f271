package realty.core.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import realty.core.invitation.InvitationSettings;

/**
 * Password-reset link tokens ({@link LinkTokens}, purpose {@code password-reset:}); docs/accounts.md,
 * "Password reset".
 */
@Singleton
public class PasswordResetTokens extends LinkTokens {

    /**
     * The key is {@code realty.password-reset.link-key} when set, otherwise the invitation links' secret
     * ({@code INVITATION_SECRET_ARN} in AWS, already given to the API and notification-function): the
     * HMAC inputs are prefixed differently, so one key never yields the same token for both kinds of link.
     */
    @Inject
    public PasswordResetTokens(PasswordResetSettings settings, InvitationSettings invitations) {
        super(Purpose.PASSWORD_RESET, () -> settings.getLinkKey() != null ? settings.getLinkKey() : invitations.getSecret());
    }

    public PasswordResetTokens(PasswordResetSettings settings) {
        this(settings, new InvitationSettings());
    }
}
