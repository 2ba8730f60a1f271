package realty.api.company;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import realty.api.web.ProblemException;
import realty.core.security.Caller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** {@code POST /api/v1/companies}: the platform admin opens a new agency (tenant). */
@Controller("/api/v1/companies")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class CompanyController {
    private final TransactionOperations<Connection> tx;

    public CompanyController(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Serdeable
    public record CreateCompanyRequest(@NotBlank @Size(max = 200) String name, @Nullable @Size(max = 200) String legalName,
                                       @Nullable @Size(max = 18) String cnpj, @Nullable @Size(max = 40) String creci) {
    }

    @Serdeable
    public record CompanyView(UUID id, String name, @Nullable String legalName, @Nullable String cnpj,
                              @Nullable String creci, boolean active, Instant createdAt) {
    }

    @Post
    public HttpResponse<CompanyView> create(Caller caller, @Body @Valid CreateCompanyRequest body) {
        if (!caller.platformAdmin()) {
            throw ProblemException.forbidden("only the platform admin creates companies");
        }
        String cnpj = null;
        if (body.cnpj() != null && !body.cnpj().isBlank()) {
            cnpj = Cnpj.normalize(body.cnpj());
            if (cnpj == null) {
                throw ProblemException.badRequest("invalid CNPJ", Map.of("cnpj", "not a valid CNPJ (14 digits with check digits)"));
            }
        }
        CompanyView view = new CompanyView(UUID.randomUUID(), body.name().trim(), body.legalName(), cnpj, body.creci(), true,
                Instant.now());
        tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "INSERT INTO companies (id, name, legal_name, cnpj, creci, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, view.id());
                ps.setString(2, view.name());
                ps.setString(3, view.legalName());
                ps.setString(4, view.cnpj());
                ps.setString(5, view.creci());
                ps.setTimestamp(6, java.sql.Timestamp.from(view.createdAt()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw ProblemException.conflict("a company with this CNPJ already exists", Map.of("cnpj", "already registered"));
                }
                throw e;
            }
            return null;
        });
        return HttpResponse.created(view);
    }
}
