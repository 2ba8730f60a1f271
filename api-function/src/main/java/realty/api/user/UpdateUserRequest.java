package realty.api.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;
import io.swagger.v3.oas.annotations.media.Schema;

/** {@code PATCH /api/v1/users/{id}}: only the fields present change. */
@Serdeable
@Schema(example = """
        {"profiles": ["agent", "prospector"], "active": true}""")
public record UpdateUserRequest(@Nullable @Size(min = 1, max = 200) String name,
                                @Nullable @Size(min = 1, max = 9) List<@NotBlank String> profiles,
                                @Nullable @Size(min = 1, max = 50) List<@NotNull UUID> companyIds,
                                @Nullable Boolean active,
                                @Nullable @Pattern(regexp = "pt-BR|en") String locale,
                                // the user's agent records in the caller's companies (UserAgentLink), as PATCH /agents validates them
                                @Nullable @Pattern(regexp = "\\d{11}") String cpf,
                                @Nullable @Size(max = 40) String creci) {
}
