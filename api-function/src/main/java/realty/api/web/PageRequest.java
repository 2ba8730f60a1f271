package realty.api.web;

import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code ?limit=} (default 50, at most 500) and {@code ?cursor=} (opaque: the last id of the
 * previous page). Lists are ordered by id, so a page boundary is stable while rows are added.
 */
public record PageRequest(int limit, @Nullable UUID after) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static PageRequest of(@Nullable Integer limit, @Nullable String cursor) {
        int l = limit == null ? DEFAULT_LIMIT : limit;
        if (l < 1 || l > MAX_LIMIT) {
            throw ProblemException.badRequest("invalid limit", Map.of("limit", "must be between 1 and " + MAX_LIMIT));
        }
        UUID after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = UUID.fromString(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid cursor", Map.of("cursor", "not a cursor returned by this API"));
            }
        }
        return new PageRequest(l, after);
    }

    /**
     * The lower bound for {@code id > ?}: the nil UUID on the first page (PostgreSQL orders UUIDs as
     * unsigned bytes, so the nil UUID is below every other).
     */
    public UUID afterOrMin() {
        return after == null ? new UUID(0, 0) : after;
    }

    /** Fetch {@code limit + 1} rows; this trims the extra one and makes the cursor. */
    public <T> Page<T> page(List<T> rows, Function<T, UUID> id) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        String next = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(id.apply(items.get(items.size() - 1)).toString().getBytes(StandardCharsets.UTF_8));
        return new Page<>(List.copyOf(items), next);
    }
}
