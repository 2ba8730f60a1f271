package realty.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The SaaS operator's first credentials ({@code realty.platform-admin.*}): from configuration, in AWS
 * from the secret named by {@code PLATFORM_ADMIN_SECRET_ARN}; never from source code.
 * {@link PlatformAdminBootstrap} creates the platform admin's users row from them once; after that
 * the row is the truth (its password changes through the API) and these are not read at login.
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
