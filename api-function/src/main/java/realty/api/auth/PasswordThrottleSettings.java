package realty.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code realty.security.password-throttle.*} (docs/accounts.md): how many password-reset requests one
 * e-mail ({@code reset-email-limit}) and one source address ({@code reset-source-limit}) may make, and
 * how many wrong current passwords one user may type into a password change ({@code change-limit}),
 * in a {@code window}, before those requests answer 429 until it ends. Defaults in application-api.yml.
 */
@ConfigurationProperties("realty.security.password-throttle")
public class PasswordThrottleSettings {
    private int resetEmailLimit = 5;
    private int resetSourceLimit = 20;
    private int changeLimit = 5;
    private Duration window = Duration.ofMinutes(15);

    public int getResetEmailLimit() { return resetEmailLimit; }
    public void setResetEmailLimit(int resetEmailLimit) { this.resetEmailLimit = resetEmailLimit; }
    public int getResetSourceLimit() { return resetSourceLimit; }
    public void setResetSourceLimit(int resetSourceLimit) { this.resetSourceLimit = resetSourceLimit; }
    public int getChangeLimit() { return changeLimit; }
    public void setChangeLimit(int changeLimit) { this.changeLimit = changeLimit; }
    public Duration getWindow() { return window; }
    public void setWindow(Duration window) { this.window = window; }
}
