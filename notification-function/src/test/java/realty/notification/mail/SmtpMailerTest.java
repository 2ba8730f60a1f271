package realty.notification.mail;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
