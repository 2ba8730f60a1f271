package realty.core.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/** bcrypt password hashing; the cost is configurable ({@code realty.security.bcrypt-cost}, default 10). */
@Singleton
public class PasswordHasher {
    /** A valid hash to compare against when the user does not exist, so that timing reveals nothing. */
    private final int cost;
    /** Made on first use: the queue functions never hash, and their cold start should not pay for it. */
    private volatile String dummy;

    public PasswordHasher(@Value("${realty.security.bcrypt-cost:10}") int cost) {
        this.cost = cost;
    }

    private String dummy() {
        String d = dummy;
        if (d == null) {
            d = hash("not-a-password");
            dummy = d;
        }
        return d;
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                (hash == null ? dummy() : hash).getBytes(StandardCharsets.UTF_8)).verified && hash != null;
    }
}
