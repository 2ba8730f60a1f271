package realty.bench;

import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code user.created} envelopes shaped like the API's. */
final class Envelopes {
    private Envelopes() {
    }

    static EventEnvelope userCreated(UUID company, String correlationId, int i) {
        UUID user = UUID.randomUUID();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("userId", user.toString());
        payload.put("email", "bench-" + i + "-" + user.toString().substring(0, 8) + "@bench.realty.dev");
        payload.put("name", "Bench user " + i);
        payload.put("locale", "pt-BR");
        payload.put("profiles", List.of("agent"));
        payload.put("companyIds", List.of(company.toString()));
        return EventEnvelope.create(EventType.USER_CREATED, company,
                new Actor("bench", List.of("owner"), null, "127.0.0.1", "realty-bench"), correlationId, null,
                new AggregateRef("user", user.toString()), payload);
    }
}
