package realty.core.invitation;

import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The token of an invitation link: base64url(HMAC-SHA256(secret, "realty-invitation:" + id)). The
 * API stores only {@link #hash} of it, and events carry only the invitation id, from which the
 * notification function derives the same token to build the link; so the raw token is in no row,
 * event, log line or audit entry, and a redelivered event builds the same link again. Without the
 * secret an id gives nothing; without the database a token names no user.
 */
@Singleton
public class InvitationTokens {
    private static final String ALGORITHM = "HmacSHA256";
    private final InvitationSettings settings;

    public InvitationTokens(InvitationSettings settings) {
        this.settings = settings;
    }

    public String token(UUID invitationId) {
        String secret = settings.getSecret();
        // Checked on use, not at start-up: functions that never invite should not need the secret to start.
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("no invitation secret of at least 32 bytes: set INVITATION_SECRET_ARN (AWS) "
                    + "or REALTY_INVITATIONS_SECRET (realty.invitations.secret)");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            byte[] digest = mac.doFinal(("realty-invitation:" + invitationId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the database keeps of a token: hex SHA-256 (the token is 256 random-looking bits, so no salt or slow hash is needed). */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The link the invitation mail carries. */
    public String link(UUID invitationId) {
        String base = settings.getLinkBaseUrl();
        return (base.endsWith("/") ? base : base + "/") + token(invitationId);
    }
}
