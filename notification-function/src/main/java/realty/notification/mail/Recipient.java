package realty.notification.mail;

import io.micronaut.core.annotation.Nullable;

import java.util.UUID;

/** Someone a mail goes to. */
public record Recipient(@Nullable UUID userId, String email, String name, MailLocale locale) {
}
