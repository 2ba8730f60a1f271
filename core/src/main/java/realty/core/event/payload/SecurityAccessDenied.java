package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * {@code security.access_denied} v1: either one refused request ({@code method}, {@code path},
 * {@code status}) or, past the per-source limit, a summary of a window ({@code aggregated: true},
 * {@code refusals}, {@code windowStart}, {@code windowSeconds}); both have a {@code reason}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityAccessDenied(@Nullable Boolean aggregated,
                                   @Nullable Integer refusals,
                                   @Nullable Instant windowStart,
                                   @Nullable Long windowSeconds,
                                   @Nullable String method,
                                   @Nullable String path,
                                   @Nullable Integer status,
                                   String reason) implements EventPayload {

    public static SecurityAccessDenied request(String method, String path, int status, String reason) {
        return new SecurityAccessDenied(null, null, null, null, method, path, status, reason);
    }

    public static SecurityAccessDenied summary(int refusals, Instant windowStart, long windowSeconds, String reason) {
        return new SecurityAccessDenied(true, refusals, windowStart, windowSeconds, null, null, null, reason);
    }
}
