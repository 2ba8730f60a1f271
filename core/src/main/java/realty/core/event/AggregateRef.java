package realty.core.event;

import io.micronaut.serde.annotation.Serdeable;

/** The row an event is about. */
@Serdeable
public record AggregateRef(String type, String id) {
}
