package realty.notification.mail;

import jakarta.inject.Singleton;
import realty.core.tenancy.RowScope;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds who a notification goes to. Every lookup is scoped to the event's company, so an event can
 * only ever mail active users of its own tenant. The repositories run on the current transaction's
 * connection, which is {@code c}'s; {@code c} only makes the uuid arrays.
 */
@Singleton
public class Recipients {
    private final RecipientRepository rows;
    private final CompanyNameRepository companies;

    public Recipients(RecipientRepository rows, CompanyNameRepository companies) {
        this.rows = rows;
        this.companies = companies;
    }

    public List<Recipient> users(Connection c, UUID companyId, Collection<UUID> userIds) throws SQLException {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return rows.users(RowScope.company(companyId), c.createArrayOf("uuid", userIds.toArray())).stream()
                .map(Recipients::recipient).toList();
    }

    /** The users linked to these agents (agents without a user account get no mail), by agent id. */
    public Map<UUID, Recipient> usersOfAgents(Connection c, UUID companyId, Collection<UUID> agentIds) throws SQLException {
        if (agentIds.isEmpty()) {
            return Map.of();
        }
        return rows.usersOfAgents(RowScope.company(companyId), c.createArrayOf("uuid", agentIds.toArray())).stream()
                .collect(Collectors.toMap(RecipientRepository.AgentUser::agentId,
                        u -> new Recipient(u.id(), u.email(), u.name(), MailLocale.of(u.locale())), (a, b) -> a));
    }

    public List<Recipient> withProfile(Connection c, UUID companyId, String profile) {
        return rows.withProfile(RowScope.company(companyId), companyId, profile).stream().map(Recipients::recipient).toList();
    }

    public Optional<String> agentName(Connection c, UUID companyId, UUID agentId) {
        return rows.agentName(RowScope.company(companyId), agentId);
    }

    /** "Title (REF-1)" of a property of the company. */
    public Optional<String> property(Connection c, UUID companyId, UUID propertyId) {
        return rows.property(RowScope.company(companyId), propertyId).map(Recipients::label);
    }

    /** "Title (REF-1)" of the property a sale of the company sold. */
    public Optional<String> propertyOfSale(Connection c, UUID companyId, UUID saleId) {
        return rows.propertyOfSale(RowScope.company(companyId), saleId).map(Recipients::label);
    }

    /** The company's name (companies is the tenant table itself: its id is the scope). */
    public Optional<String> companyName(Connection c, UUID companyId) throws SQLException {
        return companies.companyName(companyId); // on the current transaction's connection, which is c's
    }

    private static Recipient recipient(RecipientRepository.User u) {
        return new Recipient(u.id(), u.email(), u.name(), MailLocale.of(u.locale()));
    }

    private static String label(RecipientRepository.PropertyLabel p) {
        return p.title() + " (" + p.referenceCode() + ")";
    }
}
