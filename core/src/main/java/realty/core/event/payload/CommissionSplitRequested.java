package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/** {@code commission.split.requested} v1: the sales of one company, committed in bulk, to split asynchronously. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommissionSplitRequested(int count, List<UUID> saleIds) implements EventPayload {
}
