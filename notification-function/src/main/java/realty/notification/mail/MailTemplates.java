package realty.notification.mail;

import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mail texts of {@code src/main/resources/mail/}: {@code <template>.<locale>.txt} files whose
 * first line is {@code Subject: …}, then a blank line, then the plain-text body, with
 * {@code {{variable}}} placeholders; and {@code terms.<locale>.properties} with the words the
 * composer puts into them (roles, responsibilities). All are loaded at start-up, so a missing or
 * malformed text fails the function's start, not a mail.
 */
@Singleton
public class MailTemplates {
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{([a-zA-Z]+)}}");
    private static final String SUBJECT = "Subject: ";

    /** A rendered subject and body. */
    public record Text(String subject, String body) {
    }

    private record Source(String subject, String body) {
    }

    private final Map<MailTemplate, Map<MailLocale, Source>> sources = new EnumMap<>(MailTemplate.class);
    private final Map<MailLocale, Properties> terms = new EnumMap<>(MailLocale.class);

    public MailTemplates() {
        for (MailTemplate template : MailTemplate.values()) {
            for (MailLocale locale : MailLocale.values()) {
                String name = "mail/" + template.code() + "." + locale.tag() + ".txt";
                Source source = parse(name, read(name));
                checkVariables(name, template, source);
                sources.computeIfAbsent(template, t -> new EnumMap<>(MailLocale.class)).put(locale, source);
            }
        }
        for (MailLocale locale : MailLocale.values()) {
            Properties p = new Properties();
            String name = "mail/terms." + locale.tag() + ".properties";
            try (InputStream in = open(name); InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
            terms.put(locale, p);
        }
    }

    /**
     * @throws IllegalArgumentException when a variable the text uses is not given
     */
    public Text render(MailTemplate template, MailLocale locale, Map<String, String> variables) {
        Source source = sources.get(template).get(locale);
        String where = template.code() + "." + locale.tag();
        return new Text(substitute(source.subject(), variables, where).replaceAll("\\s+", " ").trim(),
                substitute(source.body(), variables, where));
    }

    /** A word of {@code terms.<locale>.properties}, e.g. {@code role.prospector}; the key's last part when absent. */
    public String term(MailLocale locale, String key) {
        String value = terms.get(locale).getProperty(key);
        return value != null ? value : key.substring(key.lastIndexOf('.') + 1);
    }

    private static String substitute(String text, Map<String, String> variables, String where) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("mail " + where + " needs {{" + m.group(1) + "}}, which was not given");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void checkVariables(String name, MailTemplate template, Source source) {
        Matcher m = VARIABLE.matcher(source.subject() + "\n" + source.body());
        while (m.find()) {
            if (!template.variables().contains(m.group(1))) {
                throw new IllegalStateException(name + " uses {{" + m.group(1) + "}}, which " + template
                        + " does not provide (it provides " + template.variables() + ")");
            }
        }
    }

    private static Source parse(String name, String text) {
        String normalized = text.replace("\r\n", "\n");
        int end = normalized.indexOf('\n');
        if (!normalized.startsWith(SUBJECT) || end < 0 || !normalized.startsWith("\n", end + 1)) {
            throw new IllegalStateException(name + " must start with 'Subject: …' followed by a blank line");
        }
        return new Source(normalized.substring(SUBJECT.length(), end).trim(), normalized.substring(end + 2).stripTrailing() + "\n");
    }

    private static String read(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing resource " + name);
        }
        return in;
    }
}
