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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/** {@code /api/v1/commissions}: commission transactions. */
@Controller("/api/v1/commissions")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Commissions", description = "Commission transactions: the parts of a sale's split, paid or cancelled one by one.")
@ApiErrors.Authenticated
public class CommissionController {
    private final CommissionTransactionService transactions;

    public CommissionController(CommissionTransactionService transactions) {
        this.transactions = transactions;
    }

    @Get
    @Operation(operationId = "listCommissions", summary = "List commission transactions",
            description = "Filters: sale, agent, payment status (`pending`, `paid`, `cancelled`). Agents and prospectors see their own.")
    @ApiErrors.Invalid
    public Page<TransactionView> list(Caller caller, @Nullable @QueryValue UUID saleId, @Nullable @QueryValue UUID agentId,
                                      @Nullable @QueryValue String status, @Nullable @QueryValue Integer limit,
                                      @Nullable @QueryValue String cursor) {
        return transactions.list(caller, saleId, agentId, status, PageRequest.of(limit, cursor));
    }

    @Get("/{id}")
    @Operation(operationId = "getCommission", summary = "Get a commission transaction")
    @ApiErrors.NotFound
    public TransactionView get(Caller caller, @PathVariable UUID id) {
        return transactions.get(caller, id);
    }

    @Post("/{id}/pay")
    @Operation(operationId = "payCommission", summary = "Mark a commission paid",
            description = "Owner, director, financial. Only a pending transaction; emits commission.paid.")
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public TransactionView pay(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return transactions.pay(caller, id, RequestInfo.of(request));
    }

    @Post("/{id}/cancel")
    @Operation(operationId = "cancelCommission", summary = "Cancel a commission",
            description = "Owner, financial. Only a pending transaction; emits commission.cancelled.")
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public TransactionView cancel(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return transactions.cancel(caller, id, RequestInfo.of(request));
    }
}
