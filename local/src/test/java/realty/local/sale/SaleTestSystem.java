package realty.local.sale;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.context.ApplicationContext;
import realty.local.TestSystem;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The whole system for the sale tests ({@link TestSystem}), with the sale fixtures: users by
 * profile, and agents and properties inserted by SQL (their API is another feature's).
 */
final class SaleTestSystem extends TestSystem {

    SaleTestSystem(Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
                   Map<String, Object> properties) throws Exception {
        super(queueFunctions, properties);
    }

    UUID company(String admin, String name) throws Exception {
        return UUID.fromString(createCompany(admin, name));
    }

    /** A user with these profiles in this company; returns its id and a token. */
    record User(UUID id, String token) {
    }

    User user(String creatorToken, UUID company, String... profiles) throws Exception {
        String email = email(String.join("-", profiles));
        Response r = expect(201, createUser(creatorToken, email, List.of(profiles), List.of(company.toString())));
        return new User(UUID.fromString(r.string("id")), login(email, PASSWORD));
    }

    UUID agent(UUID company, UUID userId) throws Exception {
        UUID id = UUID.randomUUID();
        // a user with the agent or prospector profile has had a record since their creation (UserAgentLink): take it
        return (UUID) column("INSERT INTO agents (id, company_id, user_id, name) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (company_id, user_id) DO UPDATE SET name = EXCLUDED.name RETURNING id", id, company, userId, "Agent " + id).get(0);
    }

    UUID property(UUID company, UUID agentId, UUID prospectorId) throws Exception {
        return properties(company, agentId, prospectorId, 1).get(0);
    }

    /** {@code n} available properties of one agent and prospector, in one statement. */
    List<UUID> properties(UUID company, UUID agentId, UUID prospectorId, int n) throws Exception {
        return column("""
                INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, prospector_id, created_by)
                SELECT gen_random_uuid(), ?, ? || '-' || g, 'Property ' || g, 'house', 500000, ?, ?, 'sale-test'
                FROM generate_series(1, ?) g RETURNING id""", company, UUID.randomUUID().toString(), agentId, prospectorId, n)
                .stream().map(UUID.class::cast).toList();
    }

    /** {@link TestSystem#eventually(Duration, Callable)}, polling every 20 ms (the bulk test measures with it). */
    public static <T> T eventually(Duration timeout, Callable<T> probe) throws InterruptedException {
        return TestSystem.eventually(timeout, Duration.ofMillis(20), probe);
    }

    static BigDecimal money(Object o) {
        return new BigDecimal(String.valueOf(o));
    }
}
