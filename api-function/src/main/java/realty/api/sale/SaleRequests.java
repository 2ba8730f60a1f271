package realty.api.sale;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import io.swagger.v3.oas.annotations.media.Schema;

/** Bodies of {@code POST /api/v1/sales} and {@code POST /api/v1/sales/bulk}. */
public final class SaleRequests {
    /** api.md: a bulk carries at most 5,000 sales. */
    public static final int MAX_BULK = 5_000;

    private SaleRequests() {
    }

    /** One sale; {@code agentId} defaults to the property's agent. */
    @Serdeable
    @Schema(example = """
            {"propertyId": "c0a8012e-7f3b-4c5d-9e6f-0a1b2c3d4e5f", "salePrice": 480000.00, "saleDate": "2026-11-20", "buyerName": "Carla Dias", "agentId": "7d4c2a8e-0b7e-4d1e-9a53-2f1f0b6c9e11"}""")
    public record Create(@NotNull UUID propertyId,
                         @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 12, fraction = 2) BigDecimal salePrice,
                         @NotNull LocalDate saleDate,
                         @NotBlank @Size(max = 200) String buyerName,
                         @Nullable UUID agentId,
                         @Nullable UUID buyerUserId) {
    }

    @Serdeable
    @Schema(example = """
            {"sales": [{"propertyId": "c0a8012e-7f3b-4c5d-9e6f-0a1b2c3d4e5f", "salePrice": 480000.00, "saleDate": "2026-11-20", "buyerName": "Carla Dias"}]}""")
    public record Bulk(@NotEmpty @Size(max = MAX_BULK) List<@NotNull @Valid Create> sales) {
    }
}
