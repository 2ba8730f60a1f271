package realty.api.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import realty.api.security.RefusalAudit;
import realty.api.web.ProblemException;

import java.util.function.Supplier;

/**
 * Redeeming an e-mailed link (an invitation, a password reset) by its token: an unknown token is a
 * 404, which the access-denied filter audits like every 404 refusal; a known link that can no longer
 * be used (used, superseded, expired, its account deactivated) is a 410, audited here. Either way
 * the audit names the path with the token masked ({@code RequestInfo.loggablePath}).
 */
@Singleton
public class LinkRedemption {
    private final RefusalAudit refusals;

    public LinkRedemption(RefusalAudit refusals) {
        this.refusals = refusals;
    }

    /** Runs {@code redemption}; a 410 it throws is recorded as a refusal before it propagates. */
    public <T> T redeem(HttpRequest<?> request, Supplier<T> redemption) {
        try {
            return redemption.get();
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.GONE) {
                refusals.record(request, e.status().getCode(), e.getMessage());
            }
            throw e;
        }
    }
}
