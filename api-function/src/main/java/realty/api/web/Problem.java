package realty.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/** RFC 9457 problem details, the body of every error ({@code application/problem+json}). */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, @Nullable String detail,
                      @Nullable Map<String, String> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
