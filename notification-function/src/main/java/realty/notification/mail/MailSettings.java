package realty.notification.mail;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * {@code realty.mail.*}: the SMTP relay and the per-recipient rate limit. Host, port and sender come
 * from SMTP_HOST, SMTP_PORT and MAIL_FROM; the credentials from the SMTP secret (SMTP_SECRET_ARN).
 */
@ConfigurationProperties("realty.mail")
public class MailSettings {

    /** How the connection to the relay is secured. AUTO: implicit TLS on 465, STARTTLS required on 587, offered elsewhere. */
    public enum Tls { AUTO, NONE, STARTTLS, SMTPS }

    private String host = "localhost";
    private int port = 587;
    @Nullable
    private String username;
    @Nullable
    private String password;
    private String from = "no-reply@realty.dev";
    private Tls tls = Tls.AUTO;
    private Duration timeout = Duration.ofSeconds(10);
    /** An open connection idle longer than this is closed rather than reused (see SmtpMailer). */
    private Duration connectionIdle = Duration.ofSeconds(10);
    /** At most this many mails to one address per window; the rest wait for one summary mail. */
    private int maxPerRecipient = 20;
    private Duration rateWindow = Duration.ofHours(1);

    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    @Nullable
    public String getUsername() { return username; }
    public void setUsername(@Nullable String username) { this.username = username; }
    @Nullable
    public String getPassword() { return password; }
    public void setPassword(@Nullable String password) { this.password = password; }
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public Tls getTls() { return tls; }
    public void setTls(Tls tls) { this.tls = tls; }
    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    public Duration getConnectionIdle() { return connectionIdle; }
    public void setConnectionIdle(Duration connectionIdle) { this.connectionIdle = connectionIdle; }
    public int getMaxPerRecipient() { return maxPerRecipient; }
    public void setMaxPerRecipient(int maxPerRecipient) { this.maxPerRecipient = maxPerRecipient; }
    public Duration getRateWindow() { return rateWindow; }
    public void setRateWindow(Duration rateWindow) { this.rateWindow = rateWindow; }

    /** The TLS mode AUTO stands for on this port. */
    public Tls effectiveTls() {
        if (tls != Tls.AUTO) {
            return tls;
        }
        return port == 465 ? Tls.SMTPS : port == 587 ? Tls.STARTTLS : Tls.AUTO;
    }
}
