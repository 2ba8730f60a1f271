package realty.api.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;
import io.swagger.v3.oas.annotations.media.Schema;

@Serdeable
@Schema(example = """
        {"email": "agent@agency.example", "name": "Bruno Lima", "password": "a-long-password", "profiles": ["agent"], "companyIds": ["3b1f9c2d-5e6a-4f70-8c1d-9a2b3c4d5e6f"], "locale": "pt-BR"}""")
public record CreateUserRequest(
        @NotBlank @Email @Size(max = 254) String email,
        @NotBlank @Size(max = 200) String name,
        // Optional: without it the user is invited by e-mail (docs/accounts.md); with it, PasswordPolicy applies.
        @Nullable @Size(max = 72) @FitsBcrypt String password,
        @NotEmpty @Size(max = 9) List<@NotBlank String> profiles,
        @NotEmpty @Size(max = 50) List<@NotNull UUID> companyIds,
        @Nullable @Pattern(regexp = "pt-BR|en") String locale,
        // for the agent record of an agent or prospector (UserAgentLink); validated as POST /agents validates them
        @Nullable @Pattern(regexp = "\\d{11}") String cpf,
        @Nullable @Size(max = 40) String creci) {
}
