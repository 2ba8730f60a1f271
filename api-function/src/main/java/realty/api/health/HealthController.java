package realty.api.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import realty.api.admin.QueueHealth;
import realty.core.broker.BrokerConnection;

import java.sql.Connection;
import java.util.List;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /health}: liveness plus the state of the database and the broker. Without the broker
 * the API still accepts writes (events wait in the outbox), so that is DEGRADED, answered 200;
 * without the database nothing works: 503. A stalled queue consumer (attached, acknowledging nothing
 * while its queue grows; see {@link QueueHealth}) makes it DEGRADED and is named in {@code stalledQueues}.
 */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Health", description = "Liveness.")
public class HealthController {
    private final TransactionOperations<Connection> tx;
    private final BrokerConnection broker;
    private final QueueHealth queues;

    public HealthController(TransactionOperations<Connection> tx, BrokerConnection broker, QueueHealth queues) {
        this.tx = tx;
        this.broker = broker;
        this.queues = queues;
    }

    @Serdeable
    public record Health(String status, String database, String broker,
                         @JsonInclude(JsonInclude.Include.ALWAYS) List<String> stalledQueues) {
    }

    @Get
    @Operation(operationId = "health", summary = "Health",
            description = "Liveness plus database and broker state. Without the broker the API still takes writes (events wait in the outbox): `DEGRADED`, answered 200; without the database: 503.")
    @ApiResponse(responseCode = "200", description = "UP or DEGRADED", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "503", description = "DOWN: the database does not answer", useReturnTypeSchema = true)
    public HttpResponse<Health> health() {
        boolean db;
        try {
            // JDBC's own liveness check (the driver sends an empty query): no SQL of ours here
            db = Boolean.TRUE.equals(tx.executeRead(status -> status.getConnection().isValid(2)));
        } catch (RuntimeException e) {
            db = false;
        }
        boolean mq = broker.ping();
        List<String> stalled = db && mq ? stalledQueues() : List.of();
        Health health = new Health(!db ? "DOWN" : mq && stalled.isEmpty() ? "UP" : "DEGRADED", db ? "UP" : "DOWN",
                mq ? "UP" : "DOWN", stalled);
        return HttpResponse.status(db ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }

    /** Stalled queues; none when the management API cannot be asked (the broker state says enough then). */
    private List<String> stalledQueues() {
        try {
            return queues.stalledQueues();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
