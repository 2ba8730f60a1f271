package realty.api.sale;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import realty.api.web.Page;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

import java.time.LocalDate;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/** {@code /api/v1/sales}. */
@Controller("/api/v1/sales")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Sales", description = "Sales and the commission split computed for them.")
@ApiErrors.Authenticated
public class SaleController {
    private final SaleService sales;

    public SaleController(SaleService sales) {
        this.sales = sales;
    }

    /** 201 with the commission split, computed in the same transaction as the sale. */
    @Post
    @Operation(operationId = "createSale", summary = "Record a sale",
            description = "Per the matrix (owner, director, manager; an agent for their own). The split is computed in the same transaction with the agent's rule valid on the sale date; `agentId` defaults to the property's agent.")
    @ApiResponse(responseCode = "201", description = "The sale with its commission split and events", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    @ApiErrors.BusinessRule
    public HttpResponse<SaleView> create(Caller caller, @Body @Valid SaleRequests.Create body, HttpRequest<?> request) {
        return HttpResponse.created(sales.create(caller, body, RequestInfo.of(request)));
    }

    /** 202: the sales are recorded; commission-function computes their splits. */
    @Post("/bulk")
    @Operation(operationId = "createSalesInBulk", summary = "Record sales in bulk",
            description = "Owner, director, manager; at most 5,000 sales. The splits are computed asynchronously by commission-function; the answer holds the `commission.split.requested` event to follow.")
    @ApiResponse(responseCode = "202", description = "The sales are recorded; their splits are pending", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public HttpResponse<SaleService.BulkResult> bulk(Caller caller, @Body @Valid SaleRequests.Bulk body, HttpRequest<?> request) {
        return HttpResponse.status(HttpStatus.ACCEPTED).body(sales.createBulk(caller, body, RequestInfo.of(request)));
    }

    /** Newest sale date first; {@code from}/{@code to} bound the sale date (inclusive). */
    @Get
    public Page<SaleView> list(Caller caller, @Nullable @QueryValue String status, @Nullable @QueryValue UUID agentId,
                               @Nullable @QueryValue UUID propertyId, @Nullable @QueryValue LocalDate from,
                               @Nullable @QueryValue LocalDate to, @Nullable @QueryValue Integer limit,
                               @Nullable @QueryValue String cursor) {
        return sales.list(caller, new SaleService.Filter(status, agentId, propertyId, from, to), limit, cursor);
    }

    /** The split computed again with the rules valid on the sale date; 409 once a commission is paid. */
    @Post("/{id}/recalculate")
    public SaleView recalculate(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return sales.recalculate(caller, id, RequestInfo.of(request));
    }

    @Get("/{id}")
    @Operation(operationId = "getSale", summary = "Get a sale",
            description = "With its commission split, left out for callers who may not see commission data.")
    @ApiErrors.NotFound
    public SaleView get(Caller caller, @PathVariable UUID id) {
        return sales.get(caller, id);
    }

    @Post("/{id}/cancel")
    @Operation(operationId = "cancelSale", summary = "Cancel a sale",
            description = "Owner, director, manager. Cancels the commission transactions still pending.")
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public SaleView cancel(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return sales.cancel(caller, id, RequestInfo.of(request));
    }
}
