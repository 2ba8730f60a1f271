package realty.api.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code realty.management.*}: the RabbitMQ management HTTP API (enabled on Amazon MQ, where it is
 * the broker's console URL). Username and password default to the broker's ({@code rabbitmq.*},
 * from the broker secret in AWS); the virtual host to the broker's. The URI and the timeouts reach
 * the HTTP client as {@code micronaut.http.services.rabbitmq-management.*} (application-api.yml).
 */
@ConfigurationProperties("realty.management")
public class ManagementSettings {
    private String uri = "http://localhost:15672";
    private String username;
    private String password;

    public String getUri() { return uri; }
    public void setUri(String uri) { this.uri = uri; }
    @Nullable public String getUsername() { return username; }
    public void setUsername(@Nullable String username) { this.username = username; }
    @Nullable public String getPassword() { return password; }
    public void setPassword(@Nullable String password) { this.password = password; }
}
