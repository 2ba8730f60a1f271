package realty.bench;

import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;

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
        UserCreated payload = new UserCreated(user, "bench-" + i + "-" + user.toString().substring(0, 8) + "@bench.realty.dev",
                "Bench user " + i, "pt-BR", List.of("agent"), List.of(company));
        return EventEnvelope.create(EventType.USER_CREATED, company,
                new Actor("bench", List.of("owner"), null, "127.0.0.1", "realty-bench"), correlationId, null,
                new AggregateRef("user", user.toString()), payload);
    }
}
