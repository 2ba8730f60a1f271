package realty.local.data;

import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.consumer.ConsumerOutcomes;
import realty.local.TestSystem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Savepoint;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Micronaut Data repositories run on the connection of the surrounding transaction, the one a
 * consumer handler gets from {@code HandlerContext.connection()}: their writes are seen on that
 * connection before the commit, not on another one, and are undone with the transaction or with a
 * savepoint of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepositoryTransactionTest {
    private TestSystem t;
    private TransactionOperations<Connection> tx;
    private ConsumerOutcomes outcomes;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        tx = t.system.apiContext().getBean(TransactionOperations.class);
        outcomes = t.system.apiContext().getBean(ConsumerOutcomes.class);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private static long rowsOn(Connection c, UUID id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM consumer_outcomes WHERE event_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long committedRows(UUID id) throws Exception {
        return t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ?", id);
    }

    @Test
    void aRepositoryWriteIsPartOfTheSurroundingTransactionAndRollsBackWithIt() throws Exception {
        UUID id = UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> tx.executeWrite(status -> {
            Connection c = status.getConnection();
            assertEquals(Map.of(id, "RECEIVED"), outcomes.lock(c, "repository-test", List.of(id)));
            assertEquals(1, rowsOn(c, id), "the repository wrote on the transaction's own connection");
            assertEquals(0, committedRows(id), "nothing is visible outside before the commit");
            throw new IllegalStateException("roll back");
        }));
        assertEquals(0, committedRows(id), "the repository's insert rolled back with the transaction");
    }

    @Test
    void aRepositoryWriteRollsBackToASavepointAndCommitsOtherwise() throws Exception {
        UUID kept = UUID.randomUUID();
        UUID undone = UUID.randomUUID();
        tx.executeWrite(status -> {
            Connection c = status.getConnection();
            outcomes.lock(c, "repository-test", List.of(kept));
            Savepoint savepoint = c.setSavepoint();
            outcomes.lock(c, "repository-test", List.of(undone));
            outcomes.record(c, "repository-test", List.of(new ConsumerOutcomes.Outcome(kept, ConsumerOutcomes.PROCESSED, 1, null, 5)));
            c.rollback(savepoint);
            return null;
        });
        assertEquals(1, committedRows(kept));
        assertEquals(0, committedRows(undone), "the insert after the savepoint was rolled back to it");
        assertEquals("RECEIVED", t.value("SELECT status FROM consumer_outcomes WHERE event_id = ?", kept),
                "the update after the savepoint was rolled back to it");
        tx.executeWrite(status -> {
            outcomes.record(status.getConnection(), "repository-test",
                    List.of(new ConsumerOutcomes.Outcome(kept, ConsumerOutcomes.PROCESSED, 1, null, 5)));
            return null;
        });
        assertEquals("PROCESSED", t.value("SELECT status FROM consumer_outcomes WHERE event_id = ?", kept));
    }
}
