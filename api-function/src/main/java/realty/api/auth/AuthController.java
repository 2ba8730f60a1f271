package realty.api.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.api.security.PasswordHasher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** {@code POST /api/v1/auth/login}: username (e-mail) and password for a bearer token. */
@Controller("/api/v1/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
public class AuthController {
    private static final String FIND = "SELECT id, password_hash, active FROM users WHERE lower(email) = lower(?)";

    private final TransactionOperations<Connection> tx;
    private final PasswordHasher hasher;
    private final TokenGenerator tokens;
    private final PlatformAdminSettings admin;
    private final int ttlSeconds;

    public AuthController(TransactionOperations<Connection> tx, PasswordHasher hasher, TokenGenerator tokens,
                          PlatformAdminSettings admin, @Value("${realty.security.token-ttl-seconds:3600}") int ttlSeconds) {
        this.tx = tx;
        this.hasher = hasher;
        this.tokens = tokens;
        this.admin = admin;
        this.ttlSeconds = ttlSeconds;
    }

    @Serdeable
    public record LoginRequest(@NotBlank @Size(max = 254) String username, @NotBlank @Size(max = 200) String password) {
    }

    @Serdeable
    public record TokenResponse(String access_token, String token_type, int expires_in) {
    }

    @Post("/login")
    public TokenResponse login(@Body @Valid LoginRequest request) {
        String subject = admin.configured() && constantTimeEquals(admin.getUsername(), request.username())
                ? (constantTimeEquals(admin.getPassword(), request.password()) ? Caller.PLATFORM_ADMIN_SUBJECT : null)
                : userSubject(request);
        if (subject == null) {
            throw ProblemException.unauthorized("bad credentials");
        }
        String token = tokens.generateToken(Authentication.build(subject), ttlSeconds)
                .orElseThrow(() -> new IllegalStateException("token generation is not configured"));
        return new TokenResponse(token, "Bearer", ttlSeconds);
    }

    private String userSubject(LoginRequest request) {
        record Row(String id, String hash, boolean active) {
        }
        Row row = tx.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(FIND)) {
                ps.setString(1, request.username());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3)) : null;
                }
            }
        });
        // Verify even when the user is unknown, so response time does not reveal which e-mails exist.
        boolean ok = hasher.matches(request.password(), row == null ? null : row.hash());
        return ok && row.active() ? row.id() : null;
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
