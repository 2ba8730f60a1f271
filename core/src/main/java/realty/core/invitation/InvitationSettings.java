package realty.core.invitation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * {@code realty.invitations.*}: the secret both the API and the notification function derive
 * invitation tokens with (in AWS from the secret named by {@code INVITATION_SECRET_ARN}), how long a
 * link is valid, and where the link points (the page that posts the new password to
 * {@code POST /api/v1/auth/invitations/{token}}).
 */
@ConfigurationProperties("realty.invitations")
public class InvitationSettings {
    @Nullable
    private String secret;
    private Duration validity = Duration.ofHours(72);
    private String linkBaseUrl = "http://localhost:8080/invitations/";

    @Nullable public String getSecret() { return secret; }
    public void setSecret(@Nullable String secret) { this.secret = secret; }
    public Duration getValidity() { return validity; }
    public void setValidity(Duration validity) { this.validity = validity; }
    public String getLinkBaseUrl() { return linkBaseUrl; }
    public void setLinkBaseUrl(String linkBaseUrl) { this.linkBaseUrl = linkBaseUrl; }
}
