package realty.local;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local SMTP stand-in keeps one catch-all mailbox, so that the cost of a mail does not grow with
 * the number of distinct recipients seen so far (GreenMail's default creates and scans a mailbox per
 * recipient), while mails are still found by recipient.
 */
class LocalMailServerTest {

    @Test
    void everyRecipientLandsInOneMailboxAndIsStillFoundByAddress() throws Exception {
        LocalMailServer server = LocalMailServer.startUnlessConfigured(Map.of());
        assertNotNull(server);
        try (server) {
            Properties p = new Properties();
            p.put("mail.smtp.host", "127.0.0.1");
            p.put("mail.smtp.port", String.valueOf(server.smtpPort()));
            Session session = Session.getInstance(p);
            for (int i = 0; i < 25; i++) {
                send(session, "person-" + i + "@example.test", "Mail " + i);
            }
            send(session, "Person-3@Example.test", "Again to person 3");

            assertEquals(1, server.mailboxes(), "one catch-all mailbox, not one per recipient");
            assertEquals(26, server.messages().size());
            assertEquals(2, server.messagesTo("person-3@example.test").size());
            assertEquals("Mail 7", server.messagesTo("person-7@example.test").get(0).getSubject());
            assertTrue(server.messagesTo("nobody@example.test").isEmpty());

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    server.mailboxUrl() + "?to=" + URLEncoder.encode("person-12@example.test", StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertTrue(answer.body().contains("\"subject\":\"Mail 12\""), answer.body());
            assertTrue(!answer.body().contains("Mail 13"), answer.body());
        }
    }

    private static void send(Session session, String to, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("noreply@realty.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject, "UTF-8");
        m.setText("body of " + subject, "UTF-8");
        Transport.send(m);
    }
}
