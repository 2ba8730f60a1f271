package realty.core.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import realty.core.invitation.InvitationSettings;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The token of a password-reset link, derived as HMAC-SHA256(key, request id) so that it never has
 * to travel or be stored: the API keeps only its {@link #hash}, the {@code user.password_reset_requested}
 * event carries only the request id, and notification-function derives the same token again to
 * write the link (docs/accounts.md, "Password reset").
 */
@Singleton
public class PasswordResetTokens {
    private static final int MIN_KEY_BYTES = 32;
    private final byte[] key;

    /**
     * The key is {@code realty.password-reset.link-key} when set, otherwise the invitation links' secret
     * ({@code INVITATION_SECRET_ARN} in AWS, already given to the API and notification-function): the
     * HMAC inputs are prefixed differently ({@code password-reset:} here, {@code realty-invitation:} for
     * invitations), so one key never yields the same token for both kinds of link.
     */
    @Inject
    public PasswordResetTokens(PasswordResetSettings settings, InvitationSettings invitations) {
        String k = settings.getLinkKey() != null ? settings.getLinkKey() : invitations.getSecret();
        this.key = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
    }

    public PasswordResetTokens(PasswordResetSettings settings) {
        this(settings, new InvitationSettings());
    }

    /** Whether a key long enough is configured; without one no link can be made. */
    public boolean configured() {
        return key != null && key.length >= MIN_KEY_BYTES;
    }

    /** The link token of a reset request: 43 URL-safe characters. */
    public String token(UUID requestId) {
        if (!configured()) {
            throw new IllegalStateException("no key for reset links: realty.invitations.secret or realty.password-reset.link-key (at least "
                    + MIN_KEY_BYTES + " bytes)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(("password-reset:" + requestId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** What the database keeps of a token: its SHA-256, in hex. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
