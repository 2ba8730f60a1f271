package realty.notification.mail;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.util.MailStreamProvider;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends composed mails over SMTP with Jakarta Mail (Eclipse Angus), configured by {@link MailSettings},
 * on one connection kept open between mails.
 *
 * <p>Why: a new connection per mail (connect, EHLO, STARTTLS, AUTH) cost 60–90 ms against GreenMail
 * here, a mail on the open connection 4–11 ms (issue 16, P3S notification drain at ~20 mails/s). A
 * connection idle longer than {@code realty.mail.connection-idle} is closed unused (a Lambda
 * environment may have been frozen since); a younger one is checked with NOOP before a mail when it
 * has been idle for a second or more ({@link #CHECK_AFTER_NANOS}). A failed send closes it, so a
 * mail is never sent twice by this class: the retry is the event's.
 */
@Singleton
public class SmtpMailer {
    /**
     * The system property that Jakarta Mail's FactoryFinder reads before it falls back to ServiceLoader.
     * Jakarta Mail 2.1 looks its StreamProvider up again at every MimeUtility call (the subject, the
     * recipient's name, the body's encoding), and through ServiceLoader that is a scan of the class
     * path each time: jakartaee/mail-api#861, open. With the provider named here the look-up is a
     * class by name. Measured building and writing one mail (UTF-8 subject, name and body), 5,000
     * in a row: 240–360 µs each through ServiceLoader, 18–25 µs with the property; in the P1
     * benchmark's JFR profile the scan was a quarter of the notification function's CPU.
     */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, MailStreamProvider.class.getName());
        }
    }

    /**
     * A connection used less than this long ago is not checked with NOOP before the next mail. Under
     * load (mails every few milliseconds) the check was one more round trip to the relay per mail
     * (SmtpMailerTest counts the NOOPs in the protocol trace; docs/benchmarks.md, issue 16). Should
     * a relay have dropped the connection within that second anyway, the send fails before any data
     * (MAIL FROM), the connection is closed and the event's retry sends the mail.
     */
    static final long CHECK_AFTER_NANOS = 1_000_000_000L;

    private final MailSettings settings;
    private final Session session;
    private final ReentrantLock lock = new ReentrantLock();
    private Transport transport;
    private long lastUsed;
    private long connections;

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
        message.saveChanges();
        lock.lock();
        try {
            Transport t = connected();
            try {
                t.sendMessage(message, message.getAllRecipients());
            } catch (MessagingException | RuntimeException e) {
                close();
                throw e;
            }
            lastUsed = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the open connection if it is young and, when idle for {@link #CHECK_AFTER_NANOS} or
     *         more, answers NOOP; else a new one
     */
    private Transport connected() throws MessagingException {
        if (transport != null) {
            long idle = System.nanoTime() - lastUsed;
            // Angus's SMTPTransport.isConnected() sends NOOP and waits for the answer: a round trip.
            if (idle > settings.getConnectionIdle().toNanos() || (idle >= CHECK_AFTER_NANOS && !transport.isConnected())) {
                close();
            }
        }
        if (transport == null) {
            Transport t = session.getTransport();
            if (settings.getUsername() != null && !settings.getUsername().isBlank()) {
                t.connect(settings.getUsername(), settings.getPassword());
            } else {
                t.connect();
            }
            transport = t;
            connections++;
        }
        return transport;
    }

    /** The Jakarta Mail session (tests turn its protocol trace on). */
    Session session() {
        return session;
    }

    /** @return connections opened so far (tests, metrics) */
    public long connectionsOpened() {
        lock.lock();
        try {
            return connections;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the open connection, if any; the next mail opens a new one. */
    @PreDestroy
    public void close() {
        lock.lock();
        try {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException e) {
                    // already broken: nothing to release
                }
                transport = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
