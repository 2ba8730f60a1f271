package realty.local.notification;

import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.micronaut.jdbc.DataSourceResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions that run on the generic plans PostgreSQL keeps for their prepared statements
 * (GenericPlans), instead of planning every execution: the notification function's batches (its
 * recipient and webhook look-ups), the mail ledger's reads and its own transactions and the API's
 * marking of its events as published (one per write).
 * Every statement involved is checked as a generic plan by HotPathPlansTest. Seen from PostgreSQL:
 * {@code pg_prepared_statements} counts, per session, how often each statement ran on a generic and
 * on a custom plan. pgjdbc prepares a statement on the server from its fifth execution on a session
 * ({@code prepareThreshold}); before that it is unnamed and not listed, hence "more than none".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeptGenericPlansTest {
    private NotificationHarness t;

    @BeforeAll
    void writeSixteenUsersAndTheirMails() throws Exception {
        t = new NotificationHarness(Map.of(), true);
        NotificationHarness.Tenant tenant = t.newTenant("Kept Plans Agency");
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String email = NotificationHarness.email("kept-plans");
            t.createUser(tenant.ownerToken(), email, "agent", tenant.companyId(), "pt-BR");
            recipients.add(email);
        }
        NotificationHarness.eventually(Duration.ofSeconds(30),
                () -> recipients.stream().allMatch(r -> !t.mail().messagesTo(r).isEmpty()));
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void theMailLedgersReadsRunOnKeptGenericPlans() throws Exception {
        ApplicationContext ctx = ((MicronautRequestHandler<?, ?>) t.system.queueFunction("notification")).getApplicationContext();
        long[] plans = plans(ctx, "%FROM sent_notifications%");
        assertTrue(plans[0] > 0, "the ledger's reads ran on generic plans: " + plans[0] + " generic, " + plans[1] + " custom");
        assertEquals(0, plans[1], "no execution of a ledger read was planned with its values");
    }

    @Test
    void theNotificationBatchLooksUpRecipientsAndWebhooksOnKeptGenericPlans() throws Exception {
        ApplicationContext ctx = ((MicronautRequestHandler<?, ?>) t.system.queueFunction("notification")).getApplicationContext();
        for (String like : List.of("SELECT DISTINCT u.id, u.email%", "%FROM webhook_subscriptions%")) {
            long[] plans = plans(ctx, like);
            assertTrue(plans[0] > 0, like + " ran on generic plans: " + plans[0] + " generic, " + plans[1] + " custom");
            assertEquals(0, plans[1], like + " was never planned with its values");
        }
    }

    @Test
    void theApiMarksItsEventsPublishedOnAKeptGenericPlan() throws Exception {
        long[] plans = plans(t.system.apiContext(), "UPDATE outbox_events SET status = %PUBLISHED%");
        assertTrue(plans[0] > 0, "mark published ran on a generic plan: " + plans[0] + " generic, " + plans[1] + " custom");
        assertEquals(0, plans[1], "mark published was never planned with its values");
    }

    /** {generic, custom} executions of the matching prepared statements, over the sessions of the context's pool. */
    private static long[] plans(ApplicationContext ctx, String like) throws Exception {
        // The pool itself: the injected DataSource hands out connections only inside a transaction.
        DataSource ds = ctx.getBean(DataSourceResolver.class).resolve(ctx.getBean(DataSource.class));
        long generic = 0;
        long custom = 0;
        // Hold every connection of the pool at once, so that each session is asked.
        int size = ds.unwrap(HikariDataSource.class).getMaximumPoolSize();
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                all.add(ds.getConnection());
            }
            for (Connection c : all) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
                             + " FROM pg_prepared_statements WHERE statement LIKE '" + like + "'")) {
                    rs.next();
                    generic += rs.getLong(1);
                    custom += rs.getLong(2);
                }
            }
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
        return new long[] {generic, custom};
    }
}
