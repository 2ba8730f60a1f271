package realty.notification.mail;

import jakarta.inject.Singleton;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** Sends one composed mail over SMTP with Jakarta Mail (Eclipse Angus), configured by {@link MailSettings}. */
@Singleton
public class SmtpMailer {
    private final MailSettings settings;
    private final Session session;

    public SmtpMailer(MailSettings settings) {
        this.settings = settings;
        this.session = Session.getInstance(properties(settings));
    }

    static Properties properties(MailSettings s) {
        Properties p = new Properties();
        String timeout = String.valueOf(s.getTimeout().toMillis());
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", s.getHost());
        p.put("mail.smtp.port", String.valueOf(s.getPort()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.auth", String.valueOf(s.getUsername() != null && !s.getUsername().isBlank()));
        switch (s.effectiveTls()) {
            case SMTPS -> {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case AUTO -> p.put("mail.smtp.starttls.enable", "true"); // used when the server offers it
            case NONE -> {
            }
        }
        return p;
    }

    /** @throws MessagingException when the relay refuses or cannot be reached (worth a retry) */
    public void send(ComposedMail mail) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        try {
            message.setFrom(new InternetAddress(settings.getFrom()));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), mail.toName(), "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setText(mail.body(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        message.setHeader("Content-Language", mail.locale().tag());
        message.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no auto-replies to us
        if (mail.eventId() != null) {
            message.setHeader("X-Realty-Event-Id", mail.eventId().toString());
        }
        message.setHeader("X-Realty-Template", mail.template().code());
        if (settings.getUsername() != null && !settings.getUsername().isBlank()) {
            Transport.send(message, settings.getUsername(), settings.getPassword());
        } else {
            Transport.send(message);
        }
    }
}
