package realty.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** One page of a list: {@code {"items": [...], "nextCursor": ...}} (an empty page still has its items); no next cursor on the last page. */
@Serdeable
public record Page<T>(@JsonInclude(JsonInclude.Include.ALWAYS) List<T> items, @Nullable String nextCursor) {
}
