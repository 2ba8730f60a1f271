package realty.api.auth;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;

import java.util.Map;

/**
 * What a new password must be. Placeholder with the length rule only; the full policy (not the
 * e-mail, not a common password) replaces this class at merge (issue 14, item 4).
 */
@Singleton
public class PasswordPolicy {
    static final int MIN_LENGTH = 10;

    /** @throws ProblemException 400 with the reason when {@code password} is not acceptable */
    public void check(@Nullable String email, String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw ProblemException.badRequest("the password is too short",
                    Map.of("password", "at least " + MIN_LENGTH + " characters"));
        }
    }
}
