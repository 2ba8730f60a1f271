package realty.api.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * bcrypt password hashing; the cost is configurable ({@code realty.security.bcrypt-cost}, default 10).
 * bcrypt reads at most {@value #MAX_BYTES} bytes: a longer new password is refused by validation
 * ({@link #fits}), and a longer password at login simply does not match.
 */
@Singleton
public class PasswordHasher {
    public static final int MAX_BYTES = 72;

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

    /** Whether bcrypt can hash {@code password} whole. */
    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        // No stored password can be longer, so it cannot match; the dummy comparison keeps the timing.
        boolean tooLong = bytes.length > MAX_BYTES;
        return BCrypt.verifyer().verify(tooLong ? Arrays.copyOf(bytes, MAX_BYTES) : bytes,
                (hash == null || tooLong ? dummy() : hash).getBytes(StandardCharsets.UTF_8)).verified
                && hash != null && !tooLong;
    }
}
