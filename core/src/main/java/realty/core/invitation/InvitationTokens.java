package realty.core.invitation;

import jakarta.inject.Singleton;
import realty.core.security.LinkTokens;

import java.util.UUID;

/**
 * Invitation link tokens ({@link LinkTokens}, purpose {@code realty-invitation:}), keyed by the
 * invitation secret; and the link the invitation mail carries.
 */
@Singleton
public class InvitationTokens extends LinkTokens {
    private final InvitationSettings settings;

    public InvitationTokens(InvitationSettings settings) {
        super(Purpose.INVITATION, settings::getSecret);
        this.settings = settings;
    }

    /** The link the invitation mail carries. */
    public String link(UUID invitationId) {
        String base = settings.getLinkBaseUrl();
        return (base.endsWith("/") ? base : base + "/") + token(invitationId);
    }
}
