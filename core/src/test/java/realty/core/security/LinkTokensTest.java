package realty.core.security;

import org.junit.jupiter.api.Test;
import realty.core.invitation.InvitationSettings;
import realty.core.invitation.InvitationTokens;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Links already mailed must keep working: each purpose's token is exactly
 * base64url(HMAC-SHA256(key, prefix + id)) with the prefix it always had, computed here independently.
 */
class LinkTokensTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef-key";
    private static final UUID ID = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f");

    private static String hmac(String key, String input) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    }

    private static InvitationSettings invitations(String secret) {
        InvitationSettings s = new InvitationSettings();
        s.setSecret(secret);
        s.setLinkBaseUrl("https://app.example/invitations");
        return s;
    }

    @Test
    void invitationTokensAreTheHmacOfTheirOldPrefix() throws Exception {
        InvitationTokens tokens = new InvitationTokens(invitations(KEY));
        assertEquals(hmac(KEY, "realty-invitation:" + ID), tokens.token(ID));
        assertEquals("https://app.example/invitations/" + hmac(KEY, "realty-invitation:" + ID), tokens.link(ID));
    }

    @Test
    void resetTokensAreTheHmacOfTheirOldPrefixWithTheirOwnKeyOrTheInvitationSecret() throws Exception {
        PasswordResetSettings own = new PasswordResetSettings();
        own.setLinkKey("another-key-of-at-least-thirty-two-bytes");
        assertEquals(hmac("another-key-of-at-least-thirty-two-bytes", "password-reset:" + ID),
                new PasswordResetTokens(own, invitations(KEY)).token(ID));
        PasswordResetTokens shared = new PasswordResetTokens(new PasswordResetSettings(), invitations(KEY));
        assertEquals(hmac(KEY, "password-reset:" + ID), shared.token(ID));
        assertNotEquals(new InvitationTokens(invitations(KEY)).token(ID), shared.token(ID), "one key, two purposes, two tokens");
    }

    @Test
    void bothHashTheSameWayAndNeitherWorksWithoutAKey() {
        assertEquals(PasswordResetTokens.hash("hello"), InvitationTokens.hash("hello"));
        assertThrows(IllegalStateException.class, () -> new InvitationTokens(invitations(null)).token(ID));
        assertThrows(IllegalStateException.class, () -> new InvitationTokens(invitations("short")).token(ID));
    }
}
