package realty.api.auth;

import org.junit.jupiter.api.Test;
import realty.api.web.ProblemException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The password policy's rules, on the shipped list of common passwords. */
class PasswordPolicyTest {
    private final PasswordPolicy policy = new PasswordPolicy();

    private String reason(String email, String password) {
        ProblemException e = assertThrows(ProblemException.class, () -> policy.check(email, password));
        assertEquals(400, e.status().getCode());
        return e.toProblem().errors().get("password");
    }

    @Test
    void nineCharactersAreTooFewAndTenAreEnough() {
        assertEquals("at least 10 characters", reason("ana@x.dev", "kx7#pq2mz"));
        assertDoesNotThrow(() -> policy.check("ana@x.dev", "kx7#pq2mzw"));
    }

    @Test
    void lengthCountsCharactersNotBytes() {
        assertEquals("at least 10 characters", reason(null, "ééééééééé"));
        assertDoesNotThrow(() -> policy.check(null, "éàçõüéàçõü"));
    }

    @Test
    void overBcryptsSeventyTwoBytesIsRefused() {
        assertEquals("at most 72 bytes in UTF-8", reason(null, "é".repeat(40)));
    }

    @Test
    void theEmailOrItsLocalPartIsRefusedWhateverTheCase() {
        assertEquals("must not be or contain the e-mail address or its name part", reason("Ana.Souza@Imob.com.br", "ana.souza@imob.com.br"));
        assertEquals("must not be or contain the e-mail address or its name part", reason("ana.souza@imob.com.br", "ANA.SOUZA2026"));
        assertEquals("must not be or contain the e-mail address or its name part", reason("ana.souza@imob.com.br", "x-ana.souza-x"));
    }

    @Test
    void aVeryShortLocalPartDoesNotRefuseEveryPasswordContainingIt() {
        assertDoesNotThrow(() -> policy.check("a@x.dev", "a-long-password"));
    }

    @Test
    void aListedCommonPasswordIsRefusedIgnoringCase() {
        assertEquals("too common: it is in a list of frequently used passwords", reason(null, "Password123"));
        assertEquals("too common: it is in a list of frequently used passwords", reason(null, "qwertyuiop"));
        assertEquals("too common: it is in a list of frequently used passwords", reason(null, "1234567890"));
    }

    @Test
    void thePasswordsTheTestsAndScriptsUsePass() {
        assertDoesNotThrow(() -> policy.check("owner@test.realty.dev", "a-long-password"));
    }
}
