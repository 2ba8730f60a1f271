package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A payload this build cannot read: an unknown type or version, or JSON that does not decode into
 * the type's record. The consumer runtime dead-letters its event with {@code reason}; it encodes back
 * to the JSON it was read from.
 */
@Serdeable.Serializable
public record UnreadablePayload(@Nullable JsonNode json, String reason) implements EventPayload {

    @JsonValue
    public JsonNode asJson() {
        return json == null ? JsonNode.nullNode() : json;
    }
}
