package realty.local.plans;

import org.junit.jupiter.api.Test;
import realty.api.auth.LoginThrottleRepository;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every statement a login runs on {@code login_throttles} reaches its rows through the primary key
 * on a million rows without statistics ({@link PlanProbe#hotTables()}), as a custom and as a generic
 * plan (what a server-side prepared statement switches to): a login costs the same however many
 * windows are stored. The statements are read from the repository's {@code @Query} annotations, so
 * they are the ones that run.
 */
class LoginThrottlePlansTest {
    private final PlanProbe db = PlanProbe.hotTables();

    private static final Map<String, String> TYPES = Map.of("account", "text", "source", "text", "windowSeconds", "int",
            "accountWindow", "timestamptz", "sourceWindow", "timestamptz", "key", "text");
    private static final Map<String, String> VALUES = Map.of("account", "'account:" + "0".repeat(32) + "'",
            "source", "'source:198.51.100.1'", "windowSeconds", "900", "accountWindow", "now()", "sourceWindow", "now()",
            "key", "'password-change:00000000-0000-0000-0000-000000000000'");

    @Test
    void theLoginStatementsUseThePrimaryKey() throws Exception {
        // reserveOne: the password change's throttle (PasswordThrottle); the others serve it too, with one key twice
        for (String method : List.of("reserve", "release", "fail", "succeed", "reserveOne")) {
            assertUsesThePrimaryKey(method);
        }
    }

    private void assertUsesThePrimaryKey(String method) throws Exception {
        String query = PlanProbe.query(LoginThrottleRepository.class, method);
        for (boolean generic : new boolean[]{false, true}) {
            Map<String, Object> plan = db.explainNamed(query, generic, TYPES, VALUES, false);
            String text = plan.toString();
            // Accesses to login_throttles: table scans by node type, index scans by index name.
            List<String> scans = db.scans(plan).stream().filter(s -> s.table().equals("login_throttles") && !s.type().equals("Bitmap Heap Scan"))
                    .map(s -> s.type() + " " + s.index()).toList();
            System.out.println("[plan] " + method + (generic ? " generic: " : " custom: ") + scans);
            assertFalse(scans.stream().anyMatch(s -> s.startsWith("Seq Scan")), method + " scans the table: " + scans);
            boolean arbiter = text.contains("Conflict Arbiter Indexes") && text.contains("login_throttles_pkey");
            assertTrue(arbiter || !scans.isEmpty() && scans.stream().allMatch(s -> s.contains("login_throttles_pkey")),
                    method + " must reach its rows by primary key: " + scans + " " + text);
        }
    }
}
