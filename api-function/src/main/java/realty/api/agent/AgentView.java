package realty.api.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

@Serdeable
public record AgentView(UUID id, UUID companyId, @Nullable UUID userId, String name, @Nullable String cpf,
                        @Nullable String creci, boolean active, Instant createdAt) {
}
