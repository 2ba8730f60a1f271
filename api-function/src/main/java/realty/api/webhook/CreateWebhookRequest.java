package realty.api.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code POST /api/v1/webhooks}.
 *
 * @param companyId required when the caller belongs to more than one company
 */
@Serdeable
@Schema(example = """
        {"url": "https://crm.agency.example/hooks/realty", "eventTypes": ["sale.created", "commission.paid"], "description": "CRM sync"}""")
public record CreateWebhookRequest(
        @NotBlank @Size(max = 2000) String url,
        @NotEmpty @Size(max = 20) List<@NotBlank String> eventTypes,
        @Nullable UUID companyId,
        @Nullable @Size(max = 500) String description) {
}
