package realty.api.health;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import realty.core.broker.BrokerConnection;

import java.sql.Connection;
import java.sql.Statement;

/**
 * {@code GET /health}: liveness plus the state of the database and the broker. Without the broker
 * the API still accepts writes (events wait in the outbox), so that is DEGRADED, answered 200;
 * without the database nothing works: 503.
 */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
public class HealthController {
    private final TransactionOperations<Connection> tx;
    private final BrokerConnection broker;

    public HealthController(TransactionOperations<Connection> tx, BrokerConnection broker) {
        this.tx = tx;
        this.broker = broker;
    }

    @Serdeable
    public record Health(String status, String database, String broker) {
    }

    @Get
    public HttpResponse<Health> health() {
        boolean db;
        try {
            db = Boolean.TRUE.equals(tx.executeRead(status -> {
                try (Statement s = status.getConnection().createStatement()) {
                    return s.execute("SELECT 1");
                }
            }));
        } catch (RuntimeException e) {
            db = false;
        }
        boolean mq = broker.ping();
        Health health = new Health(!db ? "DOWN" : mq ? "UP" : "DEGRADED", db ? "UP" : "DOWN", mq ? "UP" : "DOWN");
        return HttpResponse.status(db ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }
}
