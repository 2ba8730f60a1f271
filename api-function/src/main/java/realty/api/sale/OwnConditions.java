package realty.api.sale;

/**
 * SQL conditions for the {@code own} scope of domain.md §2.2: rows linked to the caller through
 * their agent record ({@code agents.user_id}). Each condition takes the caller's user id as its
 * parameters, as many times as it says.
 */
public final class OwnConditions {
    private static final String MY_AGENTS = "SELECT me.id FROM agents me WHERE me.user_id = ? AND me.active";

    private OwnConditions() {
    }

    /** The row's agent column is one of the caller's agent records (1 parameter). */
    public static String agentIs(String column) {
        return column + " IN (" + MY_AGENTS + ")";
    }

    /** The caller is the property's agent or actively assigned to it (2 parameters). */
    public static String propertyOf(String propertyIdColumn) {
        return "EXISTS (SELECT 1 FROM properties op WHERE op.id = " + propertyIdColumn + " AND (op.agent_id IN (" + MY_AGENTS
                + ") OR EXISTS (SELECT 1 FROM property_assignments pa WHERE pa.property_id = op.id AND pa.active AND pa.agent_id IN ("
                + MY_AGENTS.replace("me.", "me2.").replace("agents me", "agents me2") + "))))";
    }

    /** A sale is the caller's when they sold it, own its property, or bought it (4 parameters). */
    public static String sale(String alias) {
        return "(" + agentIs(alias + ".agent_id") + " OR " + propertyOf(alias + ".property_id") + " OR " + alias
                + ".buyer_user_id = ?)";
    }
}
