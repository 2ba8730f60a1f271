package realty.api.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NUL character in a query parameter or the path ({@code ?status=%00}) is refused up front with
 * a 400 naming the parameter: PostgreSQL cannot hold NUL in {@code text}, and a value that reached a
 * query would fail there as a server error. Bodies are covered by {@link StrictJson} and the CSV
 * reader.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class NulParameterFilter implements Ordered {

    @RequestFilter
    @Nullable
    public HttpResponse<Problem> refuseNul(HttpRequest<?> request) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (request.getPath().indexOf('\0') >= 0) {
            errors.put("path", "must not contain NUL characters");
        }
        for (Map.Entry<String, List<String>> parameter : request.getParameters()) {
            if (parameter.getKey().indexOf('\0') >= 0 || parameter.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                errors.put(parameter.getKey().replace('\0', '?'), "must not contain NUL characters");
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        return Problems.response(Problems.of(HttpStatus.BAD_REQUEST, "Invalid request",
                "NUL characters are not allowed", errors));
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1; // right after the request id is assigned
    }
}
