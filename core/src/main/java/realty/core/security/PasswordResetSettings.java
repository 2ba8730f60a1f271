package realty.core.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * {@code realty.password-reset.*}, read by the API (ttl, key) and notification-function (key, link
 * URL). Without a key of its own ({@code REALTY_PASSWORD_RESET_LINK_KEY}) the invitation links'
 * secret is used ({@link PasswordResetTokens}).
 */
@ConfigurationProperties("realty.password-reset")
public class PasswordResetSettings {
    /** HMAC key from which each link's token is derived ({@link PasswordResetTokens}); at least 32 bytes. */
    @Nullable
    private String linkKey;
    /** How long a link stays valid. */
    private Duration ttl = Duration.ofMinutes(30);
    /** The page of the web app that takes the token; the token is appended to it. */
    private String linkUrl = "http://localhost:8080/reset-password?token=";

    @Nullable public String getLinkKey() { return linkKey; }
    public void setLinkKey(@Nullable String linkKey) { this.linkKey = linkKey; }
    public Duration getTtl() { return ttl; }
    public void setTtl(Duration ttl) { this.ttl = ttl; }
    public String getLinkUrl() { return linkUrl; }
    public void setLinkUrl(String linkUrl) { this.linkUrl = linkUrl; }
}
