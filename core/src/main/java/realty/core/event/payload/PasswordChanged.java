package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code user.password_changed} v1: a user's password was replaced, {@code via} {@code "change"}
 * (POST /me/password) or {@code "reset"} (a reset link, {@code requestId} set); every token issued
 * before it is refused from now on. Never the password or its hash.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PasswordChanged(UUID userId, String via, @io.micronaut.core.annotation.Nullable UUID requestId)
        implements EventPayload {
    public static final String CHANGE = "change";
    public static final String RESET = "reset";
}
