package realty.api.outbox;

import realty.core.outbox.Outbox;
import realty.core.outbox.OutboxPublisher;
import realty.core.outbox.EventRef;
import realty.core.outbox.OutboxSettings;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.db.GenericPlans;
import realty.core.event.EventEnvelope;

import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A write and its events in one database transaction (the transactional outbox), followed right
 * after the commit by publishing those events with confirms. Whether publishing worked or not, the
 * write has succeeded; unpublished events stay pending for the relay, and with
 * {@code realty.outbox.inline-audit-fallback} their audit rows are written right away
 * (spec/events.md §4).
 */
@Singleton
public class EventfulTransaction {
    private final TransactionOperations<Connection> tx;
    private final Outbox outbox;
    private final OutboxPublisher publisher;
    private final OutboxSettings settings;
    private final InlineAuditFallback inlineAudit;

    public EventfulTransaction(TransactionOperations<Connection> tx, Outbox outbox, OutboxPublisher publisher,
                               OutboxSettings settings, InlineAuditFallback inlineAudit) {
        this.tx = tx;
        this.outbox = outbox;
        this.publisher = publisher;
        this.settings = settings;
        this.inlineAudit = inlineAudit;
    }

    /** What a write produced: its result and the events it emits. */
    public record Result<T>(T value, List<EventEnvelope> events) {
    }

    /** The committed result and the state of its events. */
    public record Committed<T>(T value, List<EventRef> events) {
    }

    @FunctionalInterface
    public interface Work<T> {
        Result<T> run(Connection connection) throws Exception;
    }

    public <T> Committed<T> execute(Work<T> work) {
        return execute(work, false);
    }

    /**
     * The same for a write of the hot path whose every statement is checked as a generic plan too
     * (HotPathPlansTest): they may run on the plans the server keeps instead of being planned at
     * each execution (GenericPlans). User creation only, today.
     */
    public <T> Committed<T> executeOnKeptPlans(Work<T> work) {
        return execute(work, true);
    }

    private <T> Committed<T> execute(Work<T> work, boolean keptPlans) {
        Written<T> written = tx.executeWrite(status -> {
            try {
                if (keptPlans) {
                    GenericPlans.force(status.getConnection());
                }
                Result<T> r = work.run(status.getConnection());
                return new Written<>(r, outbox.append(status.getConnection(), r.events()));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Result<T> result = written.result();
        // After the commit, on the process's shared confirm channel: no row lock or transaction is held while waiting.
        Set<UUID> published = new HashSet<>(publisher.publishCommitted(result.events(), written.bodies()));
        if (settings.isInlineAuditFallback() && published.size() < result.events().size()) {
            inlineAudit.audit(result.events().stream().filter(e -> !published.contains(e.id())).toList());
        }
        return new Committed<>(result.value(), result.events().stream()
                .map(e -> new EventRef(e.id(), e.type(), published.contains(e.id()) ? "PUBLISHED" : "PENDING"))
                .toList());
    }

    /** The work's result and its events' JSON as the outbox stored it. */
    private record Written<T>(Result<T> result, List<byte[]> bodies) {
    }
}
