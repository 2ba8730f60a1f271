package realty.core.security;

import io.micronaut.core.annotation.Nullable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The token of an e-mailed link (an invitation, a password reset): base64url(HMAC-SHA256(key,
 * purpose prefix + id)), 43 URL-safe characters, derived rather than stored or sent. The API keeps
 * only its {@link #hash}, events carry only the id, and notification-function derives the same
 * token again to write the link; so the raw token is in no row, event, log line or audit entry, and
 * a redelivered event builds the same link. The prefix keeps tokens of different purposes apart
 * even under one key (docs/accounts.md).
 */
public class LinkTokens {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 32;

    /** What a link is for: its HMAC prefix (part of every existing link: never change one) and where its key is set. */
    public enum Purpose {
        INVITATION("realty-invitation:", "no invitation secret of at least 32 bytes: set INVITATION_SECRET_ARN (AWS) "
                + "or REALTY_INVITATIONS_SECRET (realty.invitations.secret)"),
        PASSWORD_RESET("password-reset:", "no key for reset links: realty.invitations.secret or realty.password-reset.link-key "
                + "(at least 32 bytes)");

        private final String prefix;
        private final String missingKey;

        Purpose(String prefix, String missingKey) {
            this.prefix = prefix;
            this.missingKey = missingKey;
        }
    }

    private final Purpose purpose;
    private final Supplier<String> key;

    /** @param key read on every use, not at start-up: functions that never make a link need no key to start */
    protected LinkTokens(Purpose purpose, Supplier<String> key) {
        this.purpose = purpose;
        this.key = key;
    }

    /** Whether a key long enough is configured; without one no link can be made. */
    public boolean configured() {
        return keyBytes() != null;
    }

    /** The link token of {@code id}. */
    public String token(UUID id) {
        byte[] k = keyBytes();
        if (k == null) {
            // Checked on use: the message names the setting, never a value.
            throw new IllegalStateException(purpose.missingKey);
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(k, ALGORITHM));
            byte[] digest = mac.doFinal((purpose.prefix + id).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** What the database keeps of a token: hex SHA-256 (the token is 256 random-looking bits, so no salt or slow hash is needed). */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Nullable
    private byte[] keyBytes() {
        String k = key.get();
        byte[] bytes = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
        return bytes == null || bytes.length < MIN_KEY_BYTES ? null : bytes;
    }
}
