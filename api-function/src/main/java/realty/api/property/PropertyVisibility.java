package realty.api.property;

import realty.core.security.Caller;
import realty.core.security.Profile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The "own" part of property scopes as SQL over alias {@code p}: an agent's properties are those
 * they list or are actively assigned to, a prospector's those they brought in, a portal user's
 * those they own. Combined with the tenant restriction by the caller.
 */
final class PropertyVisibility {
    /** An SQL condition (starting with " AND", or empty) and its bind values, in order. */
    record Condition(String sql, List<Object> binds) {
        static final Condition NONE = new Condition("", List.of());
    }

    private PropertyVisibility() {
    }

    /** Condition for the profiles that reach rows only through "own"; NONE when they are empty. */
    static Condition own(Connection c, Caller caller, Set<Profile> ownProfiles) throws SQLException {
        if (ownProfiles.isEmpty()) {
            return Condition.NONE;
        }
        List<String> parts = new ArrayList<>();
        List<Object> binds = new ArrayList<>();
        Object agents = ownProfiles.contains(Profile.AGENT) || ownProfiles.contains(Profile.PROSPECTOR)
                ? c.createArrayOf("uuid", agentIdsOf(c, caller.userId()).toArray()) : null;
        if (ownProfiles.contains(Profile.AGENT)) {
            parts.add("p.agent_id = ANY(?::uuid[]) OR EXISTS (SELECT 1 FROM property_assignments pa "
                    + "WHERE pa.property_id = p.id AND pa.active AND pa.agent_id = ANY(?::uuid[]))");
            binds.add(agents);
            binds.add(agents);
        }
        if (ownProfiles.contains(Profile.PROSPECTOR)) {
            parts.add("p.prospector_id = ANY(?::uuid[])");
            binds.add(agents);
        }
        if (ownProfiles.contains(Profile.PORTAL)) {
            parts.add("p.owner_user_id = ?");
            binds.add(caller.userId());
        }
        if (parts.isEmpty()) {
            // "own" through a profile with no notion of own properties: nothing is visible
            return new Condition(" AND FALSE", List.of());
        }
        return new Condition(" AND (" + String.join(" OR ", parts) + ")", binds);
    }

    static List<UUID> agentIdsOf(Connection c, UUID userId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        if (userId == null) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM agents WHERE user_id = ? AND active")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }
}
