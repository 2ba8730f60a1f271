package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

import java.util.UUID;

/** {@code /api/v1/commissions}: commission transactions. */
@Controller("/api/v1/commissions")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class CommissionController {
    private final CommissionTransactionService transactions;

    public CommissionController(CommissionTransactionService transactions) {
        this.transactions = transactions;
    }

    @Get
    public Page<TransactionView> list(Caller caller, @Nullable @QueryValue UUID saleId, @Nullable @QueryValue UUID agentId,
                                      @Nullable @QueryValue String status, @Nullable @QueryValue Integer limit,
                                      @Nullable @QueryValue String cursor) {
        return transactions.list(caller, saleId, agentId, status, PageRequest.of(limit, cursor));
    }

    @Get("/{id}")
    public TransactionView get(Caller caller, @PathVariable UUID id) {
        return transactions.get(caller, id);
    }

    @Post("/{id}/pay")
    public TransactionView pay(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return transactions.pay(caller, id, RequestInfo.of(request));
    }

    @Post("/{id}/cancel")
    public TransactionView cancel(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return transactions.cancel(caller, id, RequestInfo.of(request));
    }
}
