package realty.core.event;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON encoding of envelopes, through Micronaut Serialization (compile-time, no reflection). */
@Singleton
public class EventCodec {
    private final JsonMapper json;

    public EventCodec(JsonMapper json) {
        this.json = json;
    }

    public byte[] encode(EventEnvelope envelope) {
        try {
            return json.writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException when the body is not a JSON envelope */
    public EventEnvelope decode(byte[] body) throws IOException {
        EventEnvelope envelope = json.readValue(body, EventEnvelope.class);
        if (envelope == null || envelope.id() == null || envelope.type() == null || envelope.aggregate() == null) {
            throw new IOException("not an event envelope: id, type and aggregate are required");
        }
        return envelope;
    }
}
