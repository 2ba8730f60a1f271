package realty.notification.mail;

import jakarta.inject.Singleton;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.notification.EventPayload;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.NumberFormat;
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
 *   <li>{@code user.created} → welcome, to the new user;</li>
 *   <li>{@code property.assignment.changed} → to the assigned agent's user;</li>
 *   <li>{@code properties.imported} → to the importer;</li>
 *   <li>{@code commission.calculated|paid|cancelled} → to each agent / prospector with a user account;
 *       a {@code commission.calculated} with {@code "status": "no_applicable_rule"} → to the financial
 *       users (the payload's {@code recipients}, else every financial user of the company).</li>
 * </ul>
 * Nothing is sent here; see {@link MailDispatcher}.
 */
@Singleton
public class MailComposer {
    static final String NO_APPLICABLE_RULE = "no_applicable_rule";

    private final Recipients recipients;
    private final MailTemplates templates;

    public MailComposer(Recipients recipients, MailTemplates templates) {
        this.recipients = recipients;
        this.templates = templates;
    }

    public List<ComposedMail> compose(EventEnvelope event, Connection c) throws PermanentFailureException, SQLException {
        EventType type = event.eventType();
        EventPayload payload = EventPayload.of(event);
        if (event.companyId() == null) {
            throw new PermanentFailureException(event.type() + " has no companyId: its recipients cannot be resolved");
        }
        String company = recipients.companyName(c, event.companyId()).orElse("Realty");
        return switch (type) {
            case USER_CREATED -> welcome(event, payload, company, c);
            case PROPERTY_ASSIGNMENT_CHANGED -> assignment(event, payload, company, c);
            case PROPERTIES_IMPORTED -> imported(event, payload, company, c);
            case COMMISSION_CALCULATED -> NO_APPLICABLE_RULE.equals(payload.text("status").orElse(null))
                    ? noApplicableRule(event, payload, company, c)
                    : commission(event, payload, company, c, MailTemplate.COMMISSION_CALCULATED);
            case COMMISSION_PAID -> commission(event, payload, company, c, MailTemplate.COMMISSION_PAID);
            case COMMISSION_CANCELLED -> commission(event, payload, company, c, MailTemplate.COMMISSION_CANCELLED);
            default -> List.of();
        };
    }

    private List<ComposedMail> welcome(EventEnvelope e, EventPayload p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        UUID userId = p.uuid("userId").orElse(null);
        List<Recipient> found = userId == null ? List.of() : recipients.users(c, e.companyId(), List.of(userId));
        Recipient to;
        if (!found.isEmpty()) {
            to = found.get(0);
        } else {
            // Not (or no longer) an active member of the company in the database: the event's own data, if it has it.
            String email = p.text("email").orElseThrow(() -> p.missing("userId of an active user", "email"));
            to = new Recipient(userId, email, p.text("name").orElse(email), MailLocale.of(p.text("locale").orElse(null)));
        }
        return List.of(render(e, MailTemplate.WELCOME, to, Map.of("company", company, "email", to.email())));
    }

    private List<ComposedMail> assignment(EventEnvelope e, EventPayload p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        UUID agentId = p.requireUuid("agentId");
        Recipient to = recipients.usersOfAgents(c, e.companyId(), List.of(agentId)).get(agentId);
        if (to == null) {
            return List.of(); // an agent without a user account has no mailbox here
        }
        Optional<UUID> propertyId = p.uuid("propertyId");
        if (propertyId.isEmpty() && "property".equals(e.aggregate().type())) {
            propertyId = Optional.of(parseUuid(e.aggregate().id(), p));
        }
        String property = propertyLabel(p).orElse(null);
        if (property == null) {
            if (propertyId.isEmpty()) {
                throw p.missing("propertyId", "title");
            }
            property = recipients.property(c, e.companyId(), propertyId.get()).orElse(propertyId.get().toString());
        }
        boolean removed = isRemoval(p);
        String responsibility = templates.term(to.locale(), "responsibility." + p.text("responsibility").orElse("primary"));
        return List.of(render(e, removed ? MailTemplate.ASSIGNMENT_REMOVED : MailTemplate.ASSIGNMENT_ADDED, to,
                Map.of("company", company, "property", property, "responsibility", responsibility)));
    }

    private List<ComposedMail> imported(EventEnvelope e, EventPayload p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        Optional<UUID> importer = p.uuid("importedBy", "userId", "requestedBy");
        if (importer.isEmpty() && e.actor() != null && e.actor().userId() != null) {
            importer = Optional.of(parseUuid(e.actor().userId(), p));
        }
        if (importer.isEmpty()) {
            throw p.missing("importedBy", "actor.userId");
        }
        String count = p.text("count").orElseGet(() -> p.texts("ids", "propertyIds").map(ids -> String.valueOf(ids.size())).orElse(null));
        if (count == null) {
            throw p.missing("count", "ids");
        }
        List<ComposedMail> out = new ArrayList<>();
        for (Recipient to : recipients.users(c, e.companyId(), List.of(importer.get()))) {
            out.add(render(e, MailTemplate.IMPORT_COMPLETED, to, Map.of("company", company, "count", count)));
        }
        return out;
    }

    /** One commission share: an agent, in a role, with an amount. */
    private record Share(UUID agentId, String role, BigDecimal amount) {
    }

    private List<ComposedMail> commission(EventEnvelope e, EventPayload p, String company, Connection c, MailTemplate template)
            throws PermanentFailureException, SQLException {
        List<Share> shares = new ArrayList<>();
        List<EventPayload> items = p.objects("transactions", "commissions", "splits", "shares");
        for (EventPayload item : items.isEmpty() ? List.of(p) : items) {
            Optional<UUID> agentId = item.uuid("agentId");
            if (agentId.isPresent()) {
                shares.add(new Share(agentId.get(), item.text("role").orElse("agent"),
                        item.decimal("amount", "commissionAmount").orElse(null)));
            }
        }
        if (shares.isEmpty()) {
            throw p.missing("agentId", "transactions[].agentId");
        }
        Set<UUID> agents = new LinkedHashSet<>();
        shares.forEach(s -> agents.add(s.agentId()));
        Map<UUID, Recipient> users = recipients.usersOfAgents(c, e.companyId(), agents);
        String saleRef = saleRef(e, p, c);
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

    private List<ComposedMail> noApplicableRule(EventEnvelope e, EventPayload p, String company, Connection c)
            throws PermanentFailureException, SQLException {
        List<UUID> ids = new ArrayList<>();
        for (String id : p.texts("recipients", "recipientUserIds").orElse(List.of())) {
            ids.add(parseUuid(id, p));
        }
        for (EventPayload r : p.objects("recipients")) {
            Optional<UUID> id = r.uuid("userId", "id");
            if (id.isPresent()) {
                ids.add(id.get());
            }
        }
        List<Recipient> to = ids.isEmpty() ? recipients.withProfile(c, e.companyId(), "financial")
                : recipients.users(c, e.companyId(), ids);
        String saleRef = saleRef(e, p, c);
        Optional<UUID> agentId = p.uuid("agentId");
        String agentName = p.text("agentName").orElse(null);
        if (agentName == null && agentId.isPresent()) {
            agentName = recipients.agentName(c, e.companyId(), agentId.get()).orElse(null);
        }
        Optional<BigDecimal> price = p.decimal("salePrice", "price");
        List<ComposedMail> out = new ArrayList<>();
        for (Recipient r : to) {
            out.add(render(e, MailTemplate.NO_APPLICABLE_RULE, r, Map.of("company", company, "sale", saleRef,
                    "agent", agentName != null ? agentName : templates.term(r.locale(), "unknown"),
                    "price", price.map(v -> money(v, r.locale())).orElse(templates.term(r.locale(), "unknown")))));
        }
        return out;
    }

    /** How a mail names a sale: its property if known, else its id. */
    private String saleRef(EventEnvelope e, EventPayload p, Connection c) throws PermanentFailureException, SQLException {
        Optional<String> label = propertyLabel(p);
        if (label.isPresent()) {
            return label.get();
        }
        Optional<UUID> propertyId = p.uuid("propertyId");
        if (propertyId.isPresent()) {
            Optional<String> property = recipients.property(c, e.companyId(), propertyId.get());
            if (property.isPresent()) {
                return property.get();
            }
        }
        String saleId = p.text("saleId").orElse(e.aggregate().id());
        return saleId.length() > 8 ? saleId.substring(0, 8) : saleId;
    }

    private static Optional<String> propertyLabel(EventPayload p) {
        Optional<String> title = p.text("propertyTitle", "title");
        Optional<String> ref = p.text("referenceCode", "propertyReference");
        if (title.isPresent()) {
            return Optional.of(ref.map(r -> title.get() + " (" + r + ")").orElse(title.get()));
        }
        return ref;
    }

    private static boolean isRemoval(EventPayload p) {
        String change = p.text("change", "action", "operation", "kind").orElse("").toLowerCase(Locale.ROOT);
        if (change.startsWith("remov") || change.startsWith("unassign") || change.startsWith("delet") || change.equals("ended")) {
            return true;
        }
        return p.bool("active").map(active -> !active).orElse(false);
    }

    private static UUID parseUuid(String text, EventPayload p) throws PermanentFailureException {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException ex) {
            throw new PermanentFailureException(p.type() + " names a user or row that is not a UUID: " + text);
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
