package realty.audit;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import realty.core.audit.AuditRecorder;
import realty.core.consumer.BatchEventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.topology.Topology;

import java.util.List;
import java.util.Set;

/**
 * The audit function's handler: one LGPD audit-log row per audited event, written by core's
 * {@link AuditRecorder} (which the API also uses for its inline fallback while the broker is down).
 */
@Singleton
@Named(Topology.AUDIT)
public class AuditLogWriter implements BatchEventHandler {
    private final AuditRecorder recorder;
    private final Set<EventType> audited;

    public AuditLogWriter(AuditRecorder recorder, Topology topology) {
        this.recorder = recorder;
        this.audited = topology.queueOfFunction(Topology.AUDIT).bindings();
    }

    @Override
    public Set<EventType> handledTypes() {
        return audited;
    }

    @Override
    public void handle(EventEnvelope e, HandlerContext context) throws Exception {
        recorder.record(context.connection(), e);
    }

    /** The whole batch in one multi-row insert (database writes only, so it may be undone and redone). */
    @Override
    public void handleBatch(List<EventEnvelope> events, HandlerContext context) throws Exception {
        recorder.recordAll(context.connection(), events);
    }
}
