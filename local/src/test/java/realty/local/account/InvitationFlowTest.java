package realty.local.account;

import com.nimbusds.jwt.SignedJWT;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.LocalMailServer;
import realty.local.TestSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invitations end to end (issue 14): POST /users without a password → user.created → the
 * notification function mails the link to the embedded SMTP server → the link's token sets the first
 * password → login works. Expired, used and superseded links answer 410 and are audited, with the
 * token masked; the token itself is nowhere in the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvitationFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern LINK = Pattern.compile("http://localhost:8080/invitations/([A-Za-z0-9_-]{43})\\s");
    private static final String NEW_PASSWORD = "minha-senha-nova-42";
    private TestSystem t;
    private String company;
    private String owner;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        company = t.createCompany(admin, "Imobiliária Convite");
        String ownerEmail = TestSystem.email("owner");
        t.expect(201, t.createUser(admin, ownerEmail, List.of("owner"), List.of(company)));
        owner = t.login(ownerEmail, TestSystem.PASSWORD);
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private TestSystem.Response invite(String email, String locale) throws Exception {
        return t.expect(201, "POST", "/api/v1/users", owner, Map.of("email", email, "name", "Convidada", "profiles", List.of("agent"),
                "companyIds", List.of(company), "locale", locale));
    }

    private MimeMessage onlyMailTo(String email, int count) throws Exception {
        List<MimeMessage> mails = TestSystem.eventually(WAIT, () -> {
            List<MimeMessage> m = t.system.mailServer().messagesTo(email);
            return m.size() >= count ? m : null;
        });
        assertEquals(count, mails.size(), "mails to " + email);
        return mails.get(count - 1);
    }

    private static String token(MimeMessage mail) throws Exception {
        Matcher m = LINK.matcher(LocalMailServer.text(mail));
        assertTrue(m.find(), LocalMailServer.text(mail));
        return m.group(1);
    }

    private TestSystem.Response accept(String token, String password) throws Exception {
        return t.call("POST", "/api/v1/auth/invitations/" + token, null, Map.of("password", password));
    }

    private TestSystem.Response login(String email, String password) throws Exception {
        return t.call("POST", "/api/v1/auth/login", null, Map.of("username", email, "password", password));
    }

    private void assertGoneAndAudited(TestSystem.Response r, String reason) throws Exception {
        assertEquals(410, r.status(), r.body().toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(((String) r.body().get("detail")).contains(reason), r.body().toString());
        assertTrue(TestSystem.eventually(WAIT, () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'security.access_denied' "
                + "AND request_id = ? AND data->>'path' = '/api/v1/auth/invitations/{token}' AND data->>'reason' LIKE ?",
                r.requestId(), "%" + reason + "%") == 1), "refusal audited with the token masked: " + r.requestId());
    }

    @Test
    void anInvitedUserGetsTheMailInTheirLanguageAcceptsAndLogsIn() throws Exception {
        String english = TestSystem.email("invited-en");
        String portuguese = TestSystem.email("invited-pt");
        TestSystem.Response created = invite(english, "en");
        invite(portuguese, "pt-BR");
        String userId = created.string("id");

        MimeMessage en = onlyMailTo(english, 1);
        assertEquals("You are invited to Imobiliária Convite", en.getSubject());
        assertEquals("en", en.getHeader("Content-Language", ","));
        assertTrue(LocalMailServer.text(en).contains("choose your password here"), LocalMailServer.text(en));
        MimeMessage pt = onlyMailTo(portuguese, 1);
        assertEquals("Você foi convidado(a) para a Imobiliária Convite", pt.getSubject());
        assertEquals("pt-BR", pt.getHeader("Content-Language", ","));
        assertTrue(LocalMailServer.text(pt).contains("escolha sua senha aqui"), LocalMailServer.text(pt));

        String token = token(en);
        assertEquals(0, t.count("SELECT count(*) FROM sent_notifications WHERE event_id = ? AND template = 'welcome'",
                created.event("user.created")), "an invited user gets the invitation instead of the welcome mail");
        assertEquals(1, t.count("SELECT count(*) FROM user_invitations WHERE user_id = ?::uuid "
                + "AND expires_at - created_at BETWEEN interval '71 hours 59 minutes' AND interval '72 hours 1 minute'", userId),
                "valid 72 hours by default");
        assertEquals(401, login(english, NEW_PASSWORD).status(), "no login before accepting");
        assertEquals(401, login(english, TestSystem.PASSWORD).status());

        TestSystem.Response accepted = accept(token, NEW_PASSWORD);
        assertEquals(200, accepted.status(), accepted.body().toString());
        assertEquals(List.of("access_token", "expires_in", "token_type"), accepted.body().keySet().stream().sorted().toList(),
                "the same answer as login");
        assertEquals("Bearer", accepted.body().get("token_type"));
        assertEquals(userId, SignedJWT.parse((String) accepted.body().get("access_token")).getJWTClaimsSet().getSubject());
        assertEquals(english, t.call("GET", "/api/v1/me", (String) accepted.body().get("access_token"), null).body().get("email"));
        assertEquals(200, login(english, NEW_PASSWORD).status(), "the chosen password logs in");

        assertTrue(TestSystem.eventually(WAIT, () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = "
                + "'user.invitation.accepted' AND resource_id = ? AND actor_user_id = ?", userId, userId) == 1), "acceptance audited");
        String[] tables = {"outbox_events", "audit_logs", "user_invitations", "sent_notifications"};
        for (String table : tables) {
            assertEquals(0, t.count("SELECT count(*) FROM " + table + " x WHERE x::text LIKE ?", "%" + token + "%"),
                    "the raw token is nowhere in " + table);
        }
    }

    @Test
    void anExpiredLinkIsGoneAndAudited() throws Exception {
        String email = TestSystem.email("expired");
        String userId = invite(email, "en").string("id");
        String token = token(onlyMailTo(email, 1));
        t.execute("UPDATE user_invitations SET expires_at = now() - interval '1 second' WHERE user_id = ?::uuid", userId);

        assertGoneAndAudited(accept(token, NEW_PASSWORD), "expired");
        assertEquals(401, login(email, NEW_PASSWORD).status(), "nothing was set");
    }

    @Test
    void aLinkWorksOnlyOnce() throws Exception {
        String email = TestSystem.email("reused");
        invite(email, "pt-BR");
        String token = token(onlyMailTo(email, 1));
        assertEquals(200, accept(token, NEW_PASSWORD).status());

        assertGoneAndAudited(accept(token, "another-password-77"), "used already");
        assertEquals(401, login(email, "another-password-77").status(), "the second use changed nothing");
        assertEquals(200, login(email, NEW_PASSWORD).status());
    }

    @Test
    void aReSentInvitationReplacesThePreviousLink() throws Exception {
        String email = TestSystem.email("resent");
        String userId = invite(email, "en").string("id");
        String first = token(onlyMailTo(email, 1));

        TestSystem.Response resent = t.expect(201, "POST", "/api/v1/users/" + userId + "/invitation", owner, null);
        assertEquals(userId, resent.string("userId"));
        resent.event("user.invited");
        String second = token(onlyMailTo(email, 2));
        assertNotEquals(first, second);

        assertGoneAndAudited(accept(first, NEW_PASSWORD), "newer invitation replaced it");
        assertEquals(200, accept(second, NEW_PASSWORD).status());
        assertEquals(200, login(email, NEW_PASSWORD).status());
        assertEquals(409, t.call("POST", "/api/v1/users/" + userId + "/invitation", owner, null).status(),
                "nothing to re-send to a user with a password");
    }

    @Test
    void reSendingIsForThoseWhoMayUpdateTheUserAndHidesOtherCompanies() throws Exception {
        String userId = invite(TestSystem.email("scoped"), "en").string("id");
        String admin = t.adminToken();
        String otherCompany = t.createCompany(admin, "Outra Imobiliária");
        String otherOwnerEmail = TestSystem.email("other-owner");
        t.expect(201, t.createUser(admin, otherOwnerEmail, List.of("owner"), List.of(otherCompany)));
        String managerEmail = TestSystem.email("manager");
        t.expect(201, t.createUser(admin, managerEmail, List.of("manager"), List.of(company)));

        assertEquals(404, t.call("POST", "/api/v1/users/" + userId + "/invitation", t.login(otherOwnerEmail, TestSystem.PASSWORD), null)
                .status(), "outside the caller's companies");
        assertEquals(403, t.call("POST", "/api/v1/users/" + userId + "/invitation", t.login(managerEmail, TestSystem.PASSWORD), null)
                .status(), "a manager may not update users");
        assertEquals(201, t.call("POST", "/api/v1/users/" + userId + "/invitation", admin, null).status());
    }

    @Test
    void anUnknownLinkIsNotFoundAndAuditedWithTheTokenMasked() throws Exception {
        TestSystem.Response r = accept("not-a-token-of-ours-xxxxxxxxxxxxxxxxxxxxxxx", NEW_PASSWORD);
        assertEquals(404, r.status(), r.body().toString());
        assertTrue(TestSystem.eventually(WAIT, () -> t.count("SELECT count(*) FROM audit_logs WHERE request_id = ? "
                + "AND data->>'path' = '/api/v1/auth/invitations/{token}' AND data::text NOT LIKE '%not-a-token%'", r.requestId()) == 1));
    }

    @Test
    void theInvitationRefusesAWeakPasswordAndStaysUsable() throws Exception {
        String email = TestSystem.email("weak");
        invite(email, "en");
        String token = token(onlyMailTo(email, 1));

        TestSystem.Response weak = accept(token, "short");
        assertEquals(400, weak.status(), weak.body().toString());
        assertEquals("at least 10 characters", weak.map("errors").get("password"));
        assertEquals(400, accept(token, email.toUpperCase()).status());
        assertEquals(200, accept(token, NEW_PASSWORD).status(), "a refused password does not use the link");
    }

    @Test
    void createUserRefusesPolicyViolationsWithTheReason() throws Exception {
        String email = TestSystem.email("policy");
        Map<String, String> cases = Map.of(
                "nine-char", "at least 10 characters",
                email, "must not be or contain the e-mail address or its name part",
                email.substring(0, email.indexOf('@')).toUpperCase() + "!", "must not be or contain the e-mail address or its name part",
                "Password123", "too common: it is in a list of frequently used passwords",
                "qwertyuiop", "too common: it is in a list of frequently used passwords");
        for (var c : cases.entrySet()) {
            TestSystem.Response r = t.call("POST", "/api/v1/users", owner, Map.of("email", email, "name", "Fraca", "password", c.getKey(),
                    "profiles", List.of("agent"), "companyIds", List.of(company)));
            assertEquals(400, r.status(), c.getKey() + ": " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            assertEquals(c.getValue(), r.map("errors").get("password"), c.getKey());
            assertFalse(r.body().toString().contains(c.getKey()), "the password is not echoed");
        }
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", email), "nothing written");
    }
}
