package realty.api.auth;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import realty.api.security.PasswordHasher;
import realty.api.web.ProblemException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a new password must be (issue 14): at least {@value #MIN_LENGTH} characters, within bcrypt's
 * {@value PasswordHasher#MAX_BYTES} bytes, not the e-mail address or its local part (nor containing
 * either, ignoring case), and not in the list of common passwords shipped as
 * {@code auth/common-passwords.txt} (zxcvbn's list; see scripts/common-passwords.sh). A refusal is the
 * API's 400 problem naming the field {@code password} with the reason; the password itself is never
 * echoed. Every path that sets a password calls {@link #check}.
 */
@Singleton
public class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    /** The local part of an e-mail this short ("a@x.dev") is in too many passwords by chance to refuse them. */
    private static final int MIN_LOCAL_PART = 3;
    private static final String LIST = "auth/common-passwords.txt";

    private final Set<String> common;

    public PasswordPolicy() {
        this.common = load();
    }

    /** @throws ProblemException 400 with the reason when {@code password} does not meet the policy */
    public void check(@Nullable String email, String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw refused("at least " + MIN_LENGTH + " characters");
        }
        if (!PasswordHasher.fits(password)) {
            throw refused("at most " + PasswordHasher.MAX_BYTES + " bytes in UTF-8");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (email != null && !email.isBlank()) {
            String address = email.trim().toLowerCase(Locale.ROOT);
            int at = address.indexOf('@');
            String local = at > 0 ? address.substring(0, at) : address;
            if (lower.contains(address) || (local.length() >= MIN_LOCAL_PART && lower.contains(local))) {
                throw refused("must not be or contain the e-mail address or its name part");
            }
        }
        if (common.contains(lower)) {
            throw refused("too common: it is in a list of frequently used passwords");
        }
    }

    private static ProblemException refused(String reason) {
        return ProblemException.badRequest("password refused: " + reason, Map.of("password", reason));
    }

    private static Set<String> load() {
        Set<String> out = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + LIST);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST, e);
        }
        return Set.copyOf(out);
    }
}
