package realty.core.security;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API and notification-function must derive the same token from a request id, and only with the key. */
class PasswordResetTokensTest {
    private static PasswordResetTokens withKey(String key) {
        PasswordResetSettings settings = new PasswordResetSettings();
        settings.setLinkKey(key);
        return new PasswordResetTokens(settings);
    }

    @Test
    void theSameKeyAndRequestGiveTheSameUrlSafeTokenAndAnotherRequestAnother() {
        UUID request = UUID.randomUUID();
        String key = "k".repeat(32);
        String token = withKey(key).token(request);

        assertEquals(token, withKey(key).token(request), "a second instance (notification-function) derives the same token");
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertNotEquals(token, withKey(key).token(UUID.randomUUID()));
        assertNotEquals(token, withKey("j".repeat(32)).token(request), "another key, another token");
    }

    @Test
    void theStoredHashIsTheHexSha256OfTheToken() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", PasswordResetTokens.hash("hello"));
    }

    @Test
    void withoutAKeyOfThirtyTwoBytesNoTokenIsMade() {
        assertFalse(withKey(null).configured());
        assertFalse(withKey("short").configured());
        assertThrows(IllegalStateException.class, () -> withKey("short").token(UUID.randomUUID()));
    }
}
