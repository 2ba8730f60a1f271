package realty.core.commission;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/** The facts of a sale that its commission split depends on (also a row of SaleCommissionRepository). */
@Introspected
public record SaleToSplit(UUID saleId, UUID companyId, BigDecimal price, LocalDate saleDate, UUID agentId,
                          @Nullable UUID prospectorId) {
}
