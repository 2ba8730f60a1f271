package realty.notification.mail;

import jakarta.inject.Singleton;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.EventEnvelope;
import realty.core.event.payload.PasswordResetRequested;
import realty.core.security.PasswordResetSettings;
import realty.core.security.PasswordResetTokens;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The mail of {@code user.password_reset_requested}: the link, whose token is derived here from the
 * request id ({@link PasswordResetTokens}) because no event, row or log holds it. Nothing is sent
 * for a request without a user (unknown e-mail) or no longer redeemable.
 */
@Singleton
public class PasswordResetMail {
    private final PasswordResetRecipientRepository recipients;
    private final PasswordResetTokens tokens;
    private final PasswordResetSettings settings;
    private final MailTemplates templates;

    public PasswordResetMail(PasswordResetRecipientRepository recipients, PasswordResetTokens tokens,
                             PasswordResetSettings settings, MailTemplates templates) {
        this.recipients = recipients;
        this.tokens = tokens;
        this.settings = settings;
        this.templates = templates;
    }

    public List<ComposedMail> compose(EventEnvelope e, PasswordResetRequested p) throws PermanentFailureException {
        if (p.userId() == null) {
            return List.of();
        }
        if (p.requestId() == null || p.expiresAt() == null) {
            throw new PermanentFailureException(e.type() + " payload has no requestId / expiresAt");
        }
        if (!tokens.configured()) {
            throw new PermanentFailureException("no key for reset links: set realty.invitations.secret or realty.password-reset.link-key");
        }
        var found = recipients.pendingRecipient(p.requestId());
        if (found.isEmpty()) {
            return List.of();
        }
        var user = found.get();
        Recipient to = new Recipient(user.id(), user.email(), user.name(), MailLocale.of(user.locale()));
        long minutes = Math.max(1, Math.round(Duration.between(e.occurredAt(), p.expiresAt()).toSeconds() / 60.0));
        MailTemplates.Text text = templates.render(MailTemplate.PASSWORD_RESET, to.locale(), Map.of("name", to.name(),
                "link", settings.getLinkUrl() + tokens.token(p.requestId()), "minutes", String.valueOf(minutes)));
        return List.of(new ComposedMail(e.id(), MailTemplate.PASSWORD_RESET, to.locale(), to.userId(), to.email(), to.name(),
                text.subject(), text.body()));
    }
}
