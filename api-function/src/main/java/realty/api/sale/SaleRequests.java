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

/** Bodies of {@code POST /api/v1/sales} and {@code POST /api/v1/sales/bulk}. */
public final class SaleRequests {
    /** api.md: a bulk carries at most 5,000 sales. */
    public static final int MAX_BULK = 5_000;

    private SaleRequests() {
    }

    /** One sale; {@code agentId} defaults to the property's agent. */
    @Serdeable
    public record Create(@NotNull UUID propertyId,
                         @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 12, fraction = 2) BigDecimal salePrice,
                         @NotNull LocalDate saleDate,
                         @NotBlank @Size(max = 200) String buyerName,
                         @Nullable UUID agentId,
                         @Nullable UUID buyerUserId) {
    }

    @Serdeable
    public record Bulk(@NotEmpty @Size(max = MAX_BULK) List<@NotNull @Valid Create> sales) {
    }
}
