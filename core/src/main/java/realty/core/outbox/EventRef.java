package realty.core.outbox;

import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/** An event as a write response lists it: {@code {"id", "type", "status"}}. */
@Serdeable
public record EventRef(UUID id, String type, String status) {
}
