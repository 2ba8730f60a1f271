package realty.notification.mail;

import java.util.Locale;

/** The languages mail is written in; a user's {@code users.locale} picks one ('pt-BR' or 'en'). */
public enum MailLocale {
    PT_BR("pt-BR", Locale.forLanguageTag("pt-BR")),
    EN("en", Locale.ENGLISH);

    private final String tag;
    private final Locale locale;

    MailLocale(String tag, Locale locale) {
        this.tag = tag;
        this.locale = locale;
    }

    public String tag() {
        return tag;
    }

    public Locale locale() {
        return locale;
    }

    /** English for any 'en…' tag, Portuguese (the product's default) for anything else. */
    public static MailLocale of(String tag) {
        return tag != null && tag.trim().toLowerCase(Locale.ROOT).startsWith("en") ? EN : PT_BR;
    }
}
