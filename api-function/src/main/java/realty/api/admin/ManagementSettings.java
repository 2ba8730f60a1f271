package realty.api.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code realty.management.*}: the RabbitMQ management HTTP API (enabled on Amazon MQ, where it is
 * the broker's console URL). Username and password default to the broker's ({@code rabbitmq.*},
 * from the broker secret in AWS); the virtual host to the broker's. {@code realty.management.uri}
 * ({@code RABBITMQ_MANAGEMENT_URI}) reaches the HTTP client as
 * {@code micronaut.http.services.rabbitmq-management.url}, beside its timeouts (application-api.yml).
 */
@ConfigurationProperties("realty.management")
public class ManagementSettings {
    private String username;
    private String password;

    @Nullable public String getUsername() { return username; }
    public void setUsername(@Nullable String username) { this.username = username; }
    @Nullable public String getPassword() { return password; }
    public void setPassword(@Nullable String password) { this.password = password; }
}
