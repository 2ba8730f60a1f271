package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/** One commission transaction of a split: its agent, role ({@code agent}, {@code prospector}) and amount. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommissionShare(UUID id, String role, UUID agentId, String amount) {
}
