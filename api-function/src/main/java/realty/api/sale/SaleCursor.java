package realty.api.sale;

import io.micronaut.core.annotation.Nullable;
import realty.api.web.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Where a page of {@code GET /sales} ends: the (sale date, id) of its last row, newest first. Opaque
 * to clients (base64url), like {@link realty.api.web.PageRequest}'s cursor, whose id-only order a
 * list by date cannot use.
 */
record SaleCursor(LocalDate saleDate, UUID id) {
    /** Before every row: the first page. PostgreSQL orders UUIDs as unsigned bytes, so all-ones is the greatest. */
    static final SaleCursor START = new SaleCursor(LocalDate.of(9999, 12, 31), new UUID(-1L, -1L));

    static SaleCursor parse(@Nullable String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return START;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("/", 2);
            return new SaleCursor(LocalDate.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("invalid cursor", Map.of("cursor", "not a cursor returned by this API"));
        }
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((saleDate + "/" + id).getBytes(StandardCharsets.UTF_8));
    }
}
