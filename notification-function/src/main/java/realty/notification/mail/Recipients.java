package realty.notification.mail;

import jakarta.inject.Singleton;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds who a notification goes to. Every lookup is scoped to the event's company, so an event can
 * only ever mail active users of its own tenant.
 */
@Singleton
public class Recipients {
    private static final String USERS = """
            SELECT DISTINCT u.id, u.email, u.name, u.locale FROM users u JOIN user_companies uc ON uc.user_id = u.id
            WHERE u.id = ANY(?::uuid[]) AND u.active AND {scope:uc}""";
    private static final String AGENT_USERS = """
            SELECT a.id, u.id, u.email, u.name, u.locale FROM agents a JOIN users u ON u.id = a.user_id
            WHERE a.id = ANY(?::uuid[]) AND a.active AND u.active AND {scope:a}""";
    private static final String WITH_PROFILE = """
            SELECT DISTINCT u.id, u.email, u.name, u.locale FROM users u
            JOIN user_companies uc ON uc.user_id = u.id
            JOIN user_profiles p ON p.user_id = u.id AND p.profile = ?
            WHERE u.active AND {scope:uc} ORDER BY u.email""";
    private static final String AGENT_NAME = "SELECT a.name FROM agents a WHERE a.id = ? AND {scope:a}";
    private static final String PROPERTY = "SELECT p.title, p.reference_code FROM properties p WHERE p.id = ? AND {scope:p}";
    private static final String PROPERTY_OF_SALE = "SELECT p.title, p.reference_code FROM sales s JOIN properties p "
            + "ON p.id = s.property_id AND p.company_id = s.company_id WHERE s.id = ? AND {scope:s}";

    private final TenantJdbc jdbc;
    private final CompanyNameRepository companies;

    public Recipients(TenantJdbc jdbc, CompanyNameRepository companies) {
        this.jdbc = jdbc;
        this.companies = companies;
    }

    public List<Recipient> users(Connection c, UUID companyId, Collection<UUID> userIds) throws SQLException {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc.list(c, scope(companyId), USERS, Recipients::recipient, (Object) c.createArrayOf("uuid", userIds.toArray()));
    }

    /** The users linked to these agents (agents without a user account get no mail), by agent id. */
    public Map<UUID, Recipient> usersOfAgents(Connection c, UUID companyId, Collection<UUID> agentIds) throws SQLException {
        if (agentIds.isEmpty()) {
            return Map.of();
        }
        List<Map.Entry<UUID, Recipient>> rows = jdbc.list(c, scope(companyId), AGENT_USERS,
                rs -> Map.entry(rs.getObject(1, UUID.class), new Recipient(rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), MailLocale.of(rs.getString(5)))),
                (Object) c.createArrayOf("uuid", agentIds.toArray()));
        return rows.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }

    public List<Recipient> withProfile(Connection c, UUID companyId, String profile) throws SQLException {
        return jdbc.list(c, scope(companyId), WITH_PROFILE, Recipients::recipient, profile);
    }

    public Optional<String> agentName(Connection c, UUID companyId, UUID agentId) throws SQLException {
        return jdbc.one(c, scope(companyId), AGENT_NAME, rs -> rs.getString(1), agentId);
    }

    /** "Title (REF-1)" of a property of the company. */
    public Optional<String> property(Connection c, UUID companyId, UUID propertyId) throws SQLException {
        return jdbc.one(c, scope(companyId), PROPERTY, rs -> rs.getString(1) + " (" + rs.getString(2) + ")", propertyId);
    }

    /** "Title (REF-1)" of the property a sale of the company sold. */
    public Optional<String> propertyOfSale(Connection c, UUID companyId, UUID saleId) throws SQLException {
        return jdbc.one(c, scope(companyId), PROPERTY_OF_SALE, rs -> rs.getString(1) + " (" + rs.getString(2) + ")", saleId);
    }

    /** The company's name (companies is the tenant table itself: its id is the scope). */
    public Optional<String> companyName(Connection c, UUID companyId) throws SQLException {
        return companies.companyName(companyId); // on the current transaction's connection, which is c's
    }

    private static TenantScope scope(UUID companyId) {
        return TenantScope.companies(Set.of(companyId));
    }

    private static Recipient recipient(ResultSet rs) throws SQLException {
        return new Recipient(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), MailLocale.of(rs.getString(4)));
    }
}
