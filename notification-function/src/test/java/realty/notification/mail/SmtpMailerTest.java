package realty.notification.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SmtpMailerTest {

    private static Properties forPort(int port, MailSettings.Tls tls, String username) {
        MailSettings s = new MailSettings();
        s.setHost("email-smtp.sa-east-1.amazonaws.com");
        s.setPort(port);
        s.setTls(tls);
        s.setUsername(username);
        return SmtpMailer.properties(s);
    }

    @Test
    void submissionPortRequiresStartTlsAndChecksTheServersName() {
        Properties p = forPort(587, MailSettings.Tls.AUTO, "AKIA");
        assertEquals("true", p.get("mail.smtp.starttls.required"));
        assertEquals("true", p.get("mail.smtp.ssl.checkserveridentity"));
        assertEquals("true", p.get("mail.smtp.auth"));
        assertEquals("10000", p.get("mail.smtp.timeout"));
    }

    @Test
    void port465IsImplicitTls() {
        Properties p = forPort(465, MailSettings.Tls.AUTO, null);
        assertEquals("true", p.get("mail.smtp.ssl.enable"));
        assertEquals("false", p.get("mail.smtp.auth"));
    }

    @Test
    void aLocalRelayCanBePlain() {
        Properties p = forPort(2525, MailSettings.Tls.NONE, null);
        assertNull(p.get("mail.smtp.starttls.enable"));
        assertNull(p.get("mail.smtp.ssl.enable"));
    }

    /**
     * Jakarta Mail finds its StreamProvider by the class named in a system property instead of a
     * ServiceLoader scan at every MimeUtility call (jakartaee/mail-api#861; see SmtpMailer).
     */
    @Test
    void theMailStreamProviderIsNamedSoJakartaMailDoesNotScanForItAtEveryCall() throws Exception {
        Class.forName(SmtpMailer.class.getName(), true, SmtpMailer.class.getClassLoader());
        assertEquals(org.eclipse.angus.mail.util.MailStreamProvider.class.getName(), System.getProperty(SmtpMailer.STREAM_PROVIDER));
        assertEquals(org.eclipse.angus.mail.util.MailStreamProvider.class, jakarta.mail.util.StreamProvider.provider().getClass());
    }

    private static GreenMail relay(int port) {
        GreenMail g = new GreenMail(port == 0 ? new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()
                : new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    private static SmtpMailer mailer(int port, Duration idle) {
        MailSettings s = new MailSettings();
        s.setHost("127.0.0.1");
        s.setPort(port);
        s.setTls(MailSettings.Tls.NONE);
        s.setConnectionIdle(idle);
        return new SmtpMailer(s);
    }

    private static ComposedMail mail(int i) {
        return new ComposedMail(UUID.randomUUID(), MailTemplate.WELCOME, MailLocale.EN, null, "user" + i + "@example.com",
                "User " + i, "Welcome " + i, "Hello " + i);
    }

    @Test
    void mailsShareOneConnection() throws Exception {
        GreenMail g = relay(0);
        SmtpMailer mailer = mailer(g.getSmtp().getPort(), Duration.ofSeconds(30));
        try {
            for (int i = 0; i < 5; i++) {
                mailer.send(mail(i));
            }
            assertEquals(5, g.getReceivedMessages().length);
            assertEquals(1, mailer.connectionsOpened(), "five mails, one SMTP connection (one per mail before issue 16)");
        } finally {
            mailer.close();
            g.stop();
        }
    }

    @Test
    void aConnectionInUseIsNotCheckedWithNoopBeforeEveryMailButAfterAPauseItIs() throws Exception {
        GreenMail g = relay(0);
        SmtpMailer mailer = mailer(g.getSmtp().getPort(), Duration.ofSeconds(30));
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        mailer.session().setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
        mailer.session().setDebug(true);
        try {
            for (int i = 0; i < 5; i++) {
                mailer.send(mail(i));
            }
            assertEquals(0, noops(trace), "five mails in a row: no NOOP round trip between them");
            Thread.sleep(SmtpMailer.CHECK_AFTER_NANOS / 1_000_000 + 100);
            mailer.send(mail(6));
            assertEquals(1, noops(trace), "after a pause the connection is checked before it is used");
            assertEquals(6, g.getReceivedMessages().length);
            assertEquals(1, mailer.connectionsOpened());
        } finally {
            mailer.close();
            g.stop();
        }
    }

    private static long noops(ByteArrayOutputStream trace) {
        return trace.toString(StandardCharsets.UTF_8).lines().filter(l -> l.equals("NOOP")).count();
    }

    @Test
    void aConnectionIdleTooLongIsNotReused() throws Exception {
        GreenMail g = relay(0);
        SmtpMailer mailer = mailer(g.getSmtp().getPort(), Duration.ZERO);
        try {
            mailer.send(mail(1));
            mailer.send(mail(2));
            assertEquals(2, g.getReceivedMessages().length);
            assertEquals(2, mailer.connectionsOpened());
        } finally {
            mailer.close();
            g.stop();
        }
    }

    @Test
    void aRelayThatWentAwayIsReconnectedAndAFailedSendIsNotRepeated() throws Exception {
        GreenMail first = relay(0);
        int port = first.getSmtp().getPort();
        SmtpMailer mailer = mailer(port, Duration.ofSeconds(30));
        try {
            mailer.send(mail(1));
            first.stop(); // the open connection dies with it
            assertThrows(MessagingException.class, () -> mailer.send(mail(2)), "nobody listens");
            GreenMail second = relay(port);
            try {
                mailer.send(mail(3));
                assertEquals(1, second.getReceivedMessages().length, "only the mail sent after the relay came back");
                assertEquals("Welcome 3", second.getReceivedMessages()[0].getSubject());
                assertEquals(2, mailer.connectionsOpened());
            } finally {
                second.stop();
            }
        } finally {
            mailer.close();
        }
    }
}
