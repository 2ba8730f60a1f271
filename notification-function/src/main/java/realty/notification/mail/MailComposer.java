package realty.notification.mail;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.AuditExportFinished;
import realty.core.event.payload.BulkOperationFinished;
import realty.core.event.payload.CommissionCalculated;
import realty.core.event.payload.CommissionCancelled;
import realty.core.event.payload.CommissionPaid;
import realty.core.event.payload.CommissionShare;
import realty.core.event.payload.CommissionTransactionChange;
import realty.core.event.payload.EventPayload;
import realty.core.event.payload.PasswordResetRequested;
import realty.core.event.payload.PropertiesImported;
import realty.core.event.payload.PropertyAssignmentChanged;
import realty.core.event.payload.UserCreated;
import realty.core.event.payload.UserInvited;
import realty.core.invitation.InvitationTokens;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which mails an event causes: who receives them (spec/events.md §2) and with which text.
 *
 * <ul>
 *   <li>{@code user.created} → welcome, to the new user; the invitation instead when it carries one, and
 *       {@code user.invited} (a re-sent invitation) → the invitation, with the link derived from the
 *       invitation id ({@link InvitationTokens});</li>
 *   <li>{@code property.assignment.changed} → to the assigned agent's user;</li>
 *   <li>{@code properties.imported} → to the importer;</li>
 *   <li>{@code bulk_operation.finished} → to the user who started the bulk import or bulk sale;</li>
 *   <li>{@code audit.export.finished} → to the user who requested the export, with the link to its state
 *       (the API's GET /audit-logs/exports/{id}, which hands out the file), never the file's own URL;</li>
 *   <li>{@code commission.calculated|paid|cancelled} → to each agent / prospector with a user account;
 *       a {@code commission.calculated} with {@code "status": "no_applicable_rule"} → to the financial
 *       users (the payload's {@code recipientUserIds}, else every financial user of the company);</li>
 *   <li>{@code user.password_reset_requested} → the reset link, to the user ({@link PasswordResetMail}).</li>
 * </ul>
 * Nothing is sent here; see {@link MailDispatcher}.
 */
@Singleton
public class MailComposer {
    private final Recipients recipients;
    private final MailTemplates templates;
    private final InvitationTokens invitations;
    private final PasswordResetMail passwordReset;
    private final String exportStatusUrl;

    /**
     * @param exportStatusUrl where an audit export's state is read, the export id appended
     *                        ({@code realty.audit.exports.status-url}: LINK_BASE_URL + /api/v1/audit-logs/exports/)
     */
    public MailComposer(Recipients recipients, MailTemplates templates, InvitationTokens invitations, PasswordResetMail passwordReset,
                        @Value("${realty.audit.exports.status-url:`http://localhost:8080/api/v1/audit-logs/exports/`}") String exportStatusUrl) {
        this.recipients = recipients;
        this.templates = templates;
        this.invitations = invitations;
        this.passwordReset = passwordReset;
        this.exportStatusUrl = exportStatusUrl;
    }

    public List<ComposedMail> compose(EventEnvelope event, Connection c) throws PermanentFailureException, SQLException {
        EventType type = event.eventType();
        if (type == EventType.USER_PASSWORD_RESET_REQUESTED) { // an account's mail, of no company
            return passwordReset.compose(event, payload(event, PasswordResetRequested.class));
        }
        if (event.companyId() == null) {
            throw new PermanentFailureException(event.type() + " has no companyId: its recipients cannot be resolved");
        }
        String company = recipients.companyName(c, event.companyId()).orElse("Realty");
        return switch (type) {
            case USER_CREATED -> welcome(event, payload(event, UserCreated.class), company, c);
            case USER_INVITED -> invited(event, payload(event, UserInvited.class), company, c);
            case PROPERTY_ASSIGNMENT_CHANGED -> assignment(event, payload(event, PropertyAssignmentChanged.class), company, c);
            case PROPERTIES_IMPORTED -> imported(event, payload(event, PropertiesImported.class), company, c);
            case COMMISSION_CALCULATED -> calculated(event, payload(event, CommissionCalculated.class), company, c);
            case COMMISSION_PAID -> commission(event, payload(event, CommissionPaid.class), company, c, MailTemplate.COMMISSION_PAID);
            case COMMISSION_CANCELLED -> commission(event, payload(event, CommissionCancelled.class), company, c,
                    MailTemplate.COMMISSION_CANCELLED);
            case BULK_OPERATION_FINISHED -> bulkFinished(event, payload(event, BulkOperationFinished.class), company, c);
            case AUDIT_EXPORT_FINISHED -> exportFinished(event, payload(event, AuditExportFinished.class), company, c);
            default -> List.of();
        };
    }

    /** The event's payload record; another record, or one that could not be read, fails for good. */
    private static <P extends EventPayload> P payload(EventEnvelope e, Class<P> record) throws PermanentFailureException {
        return e.payloadAs(record).orElseThrow(() -> new PermanentFailureException(e.payloadProblem(record)));
    }

    private List<ComposedMail> welcome(EventEnvelope e, UserCreated p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        Recipient to = newUser(e, p.userId(), p.email(), p.name(), p.locale(), c);
        if (p.invitationId() != null) {
            return List.of(invitation(e, to, p.invitationId(), p.invitationExpiresAt(), company));
        }
        return List.of(render(e, MailTemplate.WELCOME, to, Map.of("company", company, "email", to.email())));
    }

    private List<ComposedMail> invited(EventEnvelope e, UserInvited p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        if (p.invitationId() == null) {
            throw missing(e, "invitationId");
        }
        return List.of(invitation(e, newUser(e, p.userId(), p.email(), p.name(), p.locale(), c), p.invitationId(), p.expiresAt(),
                company));
    }

    /** The user a user.* event is about: as the database has them, else (no longer an active member) as the event says. */
    private Recipient newUser(EventEnvelope e, @Nullable UUID userId, @Nullable String email, @Nullable String name,
                              @Nullable String locale, Connection c) throws PermanentFailureException, SQLException {
        List<Recipient> found = userId == null ? List.of() : recipients.users(c, e.companyId(), List.of(userId));
        if (!found.isEmpty()) {
            return found.get(0);
        }
        if (email == null || email.isBlank()) {
            throw missing(e, "userId of an active user", "email");
        }
        return new Recipient(userId, email, name != null ? name : email, MailLocale.of(locale));
    }

    private ComposedMail invitation(EventEnvelope e, Recipient to, UUID invitationId, @Nullable Instant expiresAt, String company)
            throws PermanentFailureException {
        if (expiresAt == null) {
            throw missing(e, "invitationExpiresAt", "expiresAt");
        }
        return render(e, MailTemplate.INVITATION, to, Map.of("company", company, "email", to.email(),
                "link", invitations.link(invitationId), "expires", expires(expiresAt, to.locale())));
    }

    /** When a link stops working, in UTC, written the recipient's way. */
    static String expires(Instant at, MailLocale locale) {
        String pattern = locale == MailLocale.EN ? "MMMM d, yyyy, HH:mm 'UTC'" : "dd/MM/yyyy 'às' HH:mm 'UTC'";
        return DateTimeFormatter.ofPattern(pattern, locale.locale()).withZone(ZoneOffset.UTC).format(at);
    }

    private List<ComposedMail> assignment(EventEnvelope e, PropertyAssignmentChanged p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        if (p.agentId() == null) {
            throw missing(e, "agentId");
        }
        Recipient to = recipients.usersOfAgents(c, e.companyId(), List.of(p.agentId())).get(p.agentId());
        if (to == null) {
            return List.of(); // an agent without a user account has no mailbox here
        }
        if (p.propertyId() == null) {
            throw missing(e, "propertyId");
        }
        String property = recipients.property(c, e.companyId(), p.propertyId()).orElse(p.propertyId().toString());
        String responsibility = templates.term(to.locale(), "responsibility." + (p.responsibility() != null ? p.responsibility() : "primary"));
        return List.of(render(e, p.removed() ? MailTemplate.ASSIGNMENT_REMOVED : MailTemplate.ASSIGNMENT_ADDED, to,
                Map.of("company", company, "property", property, "responsibility", responsibility)));
    }

    private List<ComposedMail> imported(EventEnvelope e, PropertiesImported p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        if (p.importedBy() == null) {
            throw missing(e, "importedBy");
        }
        if (p.count() == null) {
            throw missing(e, "count");
        }
        UUID importer = parseUuid(p.importedBy(), e);
        List<ComposedMail> out = new ArrayList<>();
        for (Recipient to : recipients.users(c, e.companyId(), List.of(importer))) {
            out.add(render(e, MailTemplate.IMPORT_COMPLETED, to, Map.of("company", company, "count", String.valueOf(p.count()))));
        }
        return out;
    }

    /** To the user who started the bulk: how many items failed and where to look (none for the platform admin). */
    private List<ComposedMail> bulkFinished(EventEnvelope e, BulkOperationFinished p, String company, Connection c)
            throws SQLException {
        if (p.startedBy() == null) {
            return List.of();
        }
        List<ComposedMail> out = new ArrayList<>();
        for (Recipient to : recipients.users(c, e.companyId(), List.of(p.startedBy()))) {
            out.add(render(e, MailTemplate.BULK_FINISHED, to, Map.of("company", company,
                    "operation", templates.term(to.locale(), "bulk." + p.kind()), "count", String.valueOf(p.itemCount()),
                    "failed", String.valueOf(p.failedItems()), "correlationId", p.correlationId())));
        }
        return out;
    }

    /** To the user who requested an audit export: ready (how many rows, until when) or failed (why). */
    private List<ComposedMail> exportFinished(EventEnvelope e, AuditExportFinished p, String company, Connection c) throws SQLException {
        if (p.requestedBy() == null) {
            return List.of();
        }
        String link = exportStatusUrl + p.exportId();
        List<ComposedMail> out = new ArrayList<>();
        for (Recipient to : recipients.users(c, e.companyId(), List.of(p.requestedBy()))) {
            if (AuditExportFinished.READY.equals(p.status())) {
                out.add(render(e, MailTemplate.AUDIT_EXPORT_READY, to, Map.of("company", company, "link", link,
                        "rows", String.valueOf(p.rows() == null ? 0 : p.rows()),
                        "expires", p.expiresAt() == null ? templates.term(to.locale(), "unknown") : expires(p.expiresAt(), to.locale()))));
            } else {
                out.add(render(e, MailTemplate.AUDIT_EXPORT_FAILED, to, Map.of("company", company, "link", link,
                        "reason", p.error() == null ? templates.term(to.locale(), "unknown") : p.error())));
            }
        }
        return out;
    }

    /** One commission share: an agent, in a role, with an amount (null when the event does not say). */
    private record Share(UUID agentId, String role, @Nullable BigDecimal amount) {
    }

    private List<ComposedMail> calculated(EventEnvelope e, CommissionCalculated p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        if (CommissionCalculated.NO_APPLICABLE_RULE.equals(p.status())) {
            return noApplicableRule(e, p, company, c);
        }
        List<Share> shares = new ArrayList<>();
        if (p.transactions() != null) {
            for (CommissionShare t : p.transactions()) {
                shares.add(new Share(t.agentId(), t.role() != null ? t.role() : "agent", decimal(t.amount(), "amount", e)));
            }
        }
        if (shares.isEmpty() && p.agentId() != null) {
            shares.add(new Share(p.agentId(), "agent", null)); // a rejected rule: the agent hears of it, without an amount
        }
        return mailShares(e, shares, p.saleId(), company, c, MailTemplate.COMMISSION_CALCULATED);
    }

    private List<ComposedMail> commission(EventEnvelope e, CommissionTransactionChange p, String company, Connection c,
                                          MailTemplate template) throws PermanentFailureException, SQLException {
        List<Share> shares = p.agentId() == null ? List.of()
                : List.of(new Share(p.agentId(), p.role() != null ? p.role() : "agent", decimal(p.amount(), "amount", e)));
        return mailShares(e, shares, p.saleId(), company, c, template);
    }

    private List<ComposedMail> mailShares(EventEnvelope e, List<Share> shares, @Nullable UUID saleId, String company, Connection c,
                                          MailTemplate template) throws PermanentFailureException, SQLException {
        if (shares.isEmpty()) {
            throw missing(e, "agentId", "transactions[].agentId");
        }
        Set<UUID> agents = new LinkedHashSet<>();
        shares.forEach(s -> agents.add(s.agentId()));
        Map<UUID, Recipient> users = recipients.usersOfAgents(c, e.companyId(), agents);
        String saleRef = saleRef(e, saleId, c);
        // One mail per person per event, even when they hold two shares (agent and prospector).
        Map<UUID, List<Share>> byAgent = new LinkedHashMap<>();
        shares.forEach(s -> byAgent.computeIfAbsent(s.agentId(), k -> new ArrayList<>()).add(s));
        List<ComposedMail> out = new ArrayList<>();
        for (var entry : byAgent.entrySet()) {
            Recipient to = users.get(entry.getKey());
            if (to == null) {
                continue;
            }
            List<String> roles = entry.getValue().stream().map(s -> templates.term(to.locale(), "role." + s.role())).distinct().toList();
            boolean amountKnown = entry.getValue().stream().allMatch(s -> s.amount() != null);
            String amount = amountKnown
                    ? money(entry.getValue().stream().map(Share::amount).reduce(BigDecimal.ZERO, BigDecimal::add), to.locale())
                    : templates.term(to.locale(), "unknown");
            out.add(render(e, template, to, Map.of("company", company, "amount", amount, "role", String.join(" / ", roles),
                    "sale", saleRef)));
        }
        return out;
    }

    private List<ComposedMail> noApplicableRule(EventEnvelope e, CommissionCalculated p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        List<UUID> ids = p.recipientUserIds() == null ? List.of() : p.recipientUserIds();
        List<Recipient> to = ids.isEmpty() ? recipients.withProfile(c, e.companyId(), "financial")
                : recipients.users(c, e.companyId(), ids);
        String saleRef = saleRef(e, p.saleId(), c);
        String agentName = p.agentId() == null ? null : recipients.agentName(c, e.companyId(), p.agentId()).orElse(null);
        BigDecimal price = decimal(p.salePrice(), "salePrice", e);
        List<ComposedMail> out = new ArrayList<>();
        for (Recipient r : to) {
            out.add(render(e, MailTemplate.NO_APPLICABLE_RULE, r, Map.of("company", company, "sale", saleRef,
                    "agent", agentName != null ? agentName : templates.term(r.locale(), "unknown"),
                    "price", price != null ? money(price, r.locale()) : templates.term(r.locale(), "unknown"))));
        }
        return out;
    }

    /** How a mail names a sale: the property it sold if known, else the start of its id. */
    private String saleRef(EventEnvelope e, @Nullable UUID saleId, Connection c) throws SQLException {
        if (saleId != null) {
            Optional<String> property = recipients.propertyOfSale(c, e.companyId(), saleId);
            if (property.isPresent()) {
                return property.get();
            }
        }
        String id = saleId != null ? saleId.toString() : e.aggregate().id();
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    private static PermanentFailureException missing(EventEnvelope e, String... fields) {
        return new PermanentFailureException(e.type() + " payload has no " + String.join(" / ", fields));
    }

    /** A decimal string of the payload (amounts travel as text so that no precision is lost). */
    private static BigDecimal decimal(@Nullable String text, String field, EventEnvelope e) throws PermanentFailureException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException ex) {
            throw new PermanentFailureException(e.type() + " payload field " + field + " is not a number: "
                    + (text.length() > 60 ? text.substring(0, 60) + "…" : text));
        }
    }

    private static UUID parseUuid(String text, EventEnvelope e) throws PermanentFailureException {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException ex) {
            throw new PermanentFailureException(e.type() + " names a user or row that is not a UUID: " + text);
        }
    }

    /** Brazilian reais in the recipient's notation: R$ 1.234,56 or R$1,234.56. */
    static String money(BigDecimal amount, MailLocale locale) {
        NumberFormat f = NumberFormat.getCurrencyInstance(locale == MailLocale.EN ? Locale.US : locale.locale());
        f.setCurrency(Currency.getInstance("BRL"));
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        return f.format(amount.setScale(2, RoundingMode.HALF_EVEN)).replace('\u00a0', ' ');
    }

    private ComposedMail render(EventEnvelope e, MailTemplate template, Recipient to, Map<String, String> variables) {
        Map<String, String> all = new LinkedHashMap<>(variables);
        all.put("name", to.name());
        MailTemplates.Text text = templates.render(template, to.locale(), all);
        return new ComposedMail(e.id(), template, to.locale(), to.userId(), to.email(), to.name(), text.subject(), text.body());
    }
}
