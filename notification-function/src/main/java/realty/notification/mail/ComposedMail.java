package realty.notification.mail;

import io.micronaut.core.annotation.Nullable;

import java.util.Locale;
import java.util.UUID;

/**
 * One mail ready to send: to whom, in which language, with which text.
 *
 * @param eventId the event it notifies; null for a summary
 * @param userId  the recipient's user id, when known
 */
public record ComposedMail(@Nullable UUID eventId, MailTemplate template, MailLocale locale, @Nullable UUID userId,
                           String to, String toName, String subject, String body) {

    /** The rate-limit and idempotency key of the recipient. */
    public String recipientKey() {
        return to.trim().toLowerCase(Locale.ROOT);
    }
}
