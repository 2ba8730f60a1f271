package realty.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The SaaS operator's credentials ({@code realty.platform-admin.*}): from configuration, in AWS from
 * the secret named by {@code PLATFORM_ADMIN_SECRET_ARN}; never from source code. Without them nobody
 * can log in as platform admin.
 */
@ConfigurationProperties("realty.platform-admin")
public class PlatformAdminSettings {
    private String username;
    private String password;

    @Nullable public String getUsername() { return username; }
    public void setUsername(@Nullable String username) { this.username = username; }
    @Nullable public String getPassword() { return password; }
    public void setPassword(@Nullable String password) { this.password = password; }

    public boolean configured() {
        return username != null && !username.isBlank() && password != null && password.length() >= 12;
    }
}
