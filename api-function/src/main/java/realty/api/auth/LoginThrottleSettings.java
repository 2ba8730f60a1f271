package realty.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code realty.security.login-throttle.*}: how many failed logins one account ({@code account-limit})
 * and one source address ({@code source-limit}) may have in a {@code window} before login answers 429
 * until the window ends. Defaults in application-api.yml: 5, 20, 15 minutes.
 */
@ConfigurationProperties("realty.security.login-throttle")
public class LoginThrottleSettings {
    private int accountLimit = 5;
    private int sourceLimit = 20;
    private Duration window = Duration.ofMinutes(15);

    public int getAccountLimit() { return accountLimit; }
    public void setAccountLimit(int accountLimit) { this.accountLimit = accountLimit; }
    public int getSourceLimit() { return sourceLimit; }
    public void setSourceLimit(int sourceLimit) { this.sourceLimit = sourceLimit; }
    public Duration getWindow() { return window; }
    public void setWindow(Duration window) { this.window = window; }
}
