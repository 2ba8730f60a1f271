package realty.local;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.json.JsonMapper;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The local stand-in for the SMTP relay: an embedded GreenMail SMTP server on loopback that keeps
 * every mail the notification function sends, and a tiny HTTP endpoint to read them:
 * {@code GET http://127.0.0.1:<port>/messages[?to=<address>]} answers a JSON array of
 * {@code {from, to, subject, language, sentAt, text}}, oldest first.
 *
 * <p>Every mail lands in one catch-all mailbox, whatever its recipient. GreenMail's default is a
 * mailbox per recipient, created at the first mail to it, and finding or creating one walks every
 * mailbox there is (a linear scan of its folder list with {@code equalsIgnoreCase}): in the P1
 * benchmark, after some 20,000 invited users, GreenMail's SMTP threads used more CPU than the
 * notification function that sent the mails (JFR, 2026-11-29, docs/benchmarks.md). The recipients
 * stay in each mail's headers, which is what {@link #messagesTo} and the HTTP endpoint read.
 *
 * <p>{@link LocalSystem} starts one unless {@code realty.mail.host} names a relay of your own; the
 * ports come from {@code realty.local.smtp-port} and {@code realty.local.mailbox-port} (0 = any
 * free port).
 */
public final class LocalMailServer implements AutoCloseable {
    public static final String SMTP_PORT = "realty.local.smtp-port";
    public static final String MAILBOX_PORT = "realty.local.mailbox-port";
    private static final String HOST = "127.0.0.1";
    /** The one mailbox that receives every mail (its login and password too; authentication is off). */
    private static final String CATCH_ALL = "catch-all@localhost";

    private final GreenMail greenMail;
    private final HttpServer http;
    private final JsonMapper json = JsonMapper.createDefault();

    private LocalMailServer(int smtpPort, int mailboxPort) throws IOException {
        ServerSetup smtp = new ServerSetup(smtpPort, HOST, ServerSetup.PROTOCOL_SMTP);
        greenMail = new GreenMail(smtpPort == 0 ? smtp.dynamicPort() : smtp)
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        try {
            GreenMailUser catchAll = greenMail.getUserManager().createUser(CATCH_ALL, CATCH_ALL, CATCH_ALL);
            greenMail.getUserManager().setMessageDeliveryHandler((message, recipient) -> catchAll);
        } catch (UserException | RuntimeException e) {
            greenMail.stop();
            throw new IOException("cannot create the local mail server's catch-all mailbox: " + e.getMessage(), e);
        }
        try {
            http = HttpServer.create(new InetSocketAddress(HOST, mailboxPort), 0);
        } catch (IOException e) {
            greenMail.stop();
            throw e;
        }
        http.createContext("/messages", this::serve);
        http.start();
    }

    /** Starts a mail server unless the properties name an SMTP relay; null when they do. */
    public static LocalMailServer startUnlessConfigured(Map<String, Object> properties) throws IOException {
        if (properties.containsKey("realty.mail.host")) {
            return null;
        }
        return new LocalMailServer(port(properties.get(SMTP_PORT)), port(properties.get(MAILBOX_PORT)));
    }

    private static int port(Object value) {
        return value == null ? 0 : Integer.parseInt(value.toString());
    }

    /** What the notification function needs to send here. */
    public Map<String, Object> properties() {
        return Map.of("realty.mail.host", HOST, "realty.mail.port", smtpPort(), "realty.mail.tls", "NONE");
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public String mailboxUrl() {
        return "http://" + HOST + ":" + http.getAddress().getPort() + "/messages";
    }

    /** @return how many mailboxes the SMTP server keeps (one: the catch-all) */
    int mailboxes() {
        return greenMail.getUserManager().listUser().size();
    }

    /** Everything received so far, oldest first. */
    public List<MimeMessage> messages() {
        return Arrays.asList(greenMail.getReceivedMessages());
    }

    /** The messages addressed to one recipient (case-insensitive). */
    public List<MimeMessage> messagesTo(String address) {
        String wanted = address.toLowerCase(Locale.ROOT);
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : messages()) {
            try {
                if (recipients(m).toLowerCase(Locale.ROOT).contains(wanted)) {
                    out.add(m);
                }
            } catch (MessagingException ignored) {
                // a message without readable recipients is not addressed to anyone we look for
            }
        }
        return out;
    }

    /** The plain-text body of a message sent by the notification function. */
    public static String text(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                if (multipart.getBodyPart(i).isMimeType("text/plain")) {
                    return text(multipart.getBodyPart(i));
                }
            }
        }
        return "";
    }

    private static String recipients(MimeMessage m) throws MessagingException {
        Address[] all = m.getAllRecipients();
        return all == null ? "" : Arrays.stream(all).map(Address::toString).collect(Collectors.joining(", "));
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            String to = null;
            for (String param : query == null ? new String[0] : query.split("&")) {
                if (param.startsWith("to=")) {
                    to = URLDecoder.decode(param.substring(3), StandardCharsets.UTF_8);
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (MimeMessage m : to == null ? messages() : messagesTo(to)) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("from", m.getFrom() == null ? null : Arrays.stream(m.getFrom()).map(Address::toString).collect(Collectors.joining(", ")));
                item.put("to", recipients(m));
                item.put("subject", m.getSubject());
                item.put("language", m.getHeader("Content-Language", ","));
                item.put("sentAt", m.getSentDate() == null ? null : m.getSentDate().toInstant().toString());
                item.put("text", text(m));
                out.add(item);
            }
            byte[] body = json.writeValueAsBytes(out);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        } catch (MessagingException e) {
            throw new IOException("reading a captured mail: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        greenMail.stop();
    }
}
