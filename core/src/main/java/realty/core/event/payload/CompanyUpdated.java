package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/** {@code company.updated} v1: the company's fields that changed, each with its value before and after. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CompanyUpdated(UUID companyId, Changes changes) implements EventPayload {

    /** Only the changed fields are present; an absent field did not change. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Changes(@Nullable Change<String> name,
                          @Nullable Change<String> legalName,
                          @Nullable Change<String> cnpj,
                          @Nullable Change<String> creci) {

        public boolean isEmpty() {
            return name == null && legalName == null && cnpj == null && creci == null;
        }
    }
}
