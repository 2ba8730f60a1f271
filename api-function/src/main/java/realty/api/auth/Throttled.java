package realty.api.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import realty.api.security.RefusalAudit;
import realty.api.web.Problem;
import realty.api.web.ProblemException;
import realty.api.web.Problems;

/** A request refused by a throttle: 429 with {@code Retry-After}; {@link #answer} audits it. */
public final class Throttled extends ProblemException {
    private final long retryAfterSeconds;

    public Throttled(String detail, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail, null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The 429 answer, recorded as {@code security.access_denied} (status 429, this detail as the reason). */
    public MutableHttpResponse<Problem> answer(HttpRequest<?> request, RefusalAudit refusals) {
        refusals.record(request, HttpStatus.TOO_MANY_REQUESTS.getCode(), getMessage());
        return Problems.response(toProblem()).header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
}
