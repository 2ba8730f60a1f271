package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** One changed field of an update event: its value before and after ({@code null} is a value here). */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Change<T>(@Nullable T from, @Nullable T to) {
}
