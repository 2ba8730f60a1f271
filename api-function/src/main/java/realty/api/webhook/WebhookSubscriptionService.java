package realty.api.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.core.event.EventType;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix;
import realty.api.security.PermissionMatrix.Action;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;
import realty.core.topology.Topology;
import realty.core.webhook.WebhookTargetPolicy;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Resource.WEBHOOK;

/**
 * Webhook subscriptions of a company (spec/api.md): owners and managers create and delete them,
 * directors read them. The URL must pass the {@link WebhookTargetPolicy}; the event types must be
 * ones the notification function receives. The signing secret is generated here and returned once.
 */
@Singleton
public class WebhookSubscriptionService {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final String COLUMNS = """
            w.id, w.company_id, w.url, w.event_types, w.description, w.active, w.failure_count, w.created_by, w.created_at""";

    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;
    private final WebhookTargetPolicy policy;
    private final Set<String> notifiedTypes;
    private final SecureRandom random = new SecureRandom();

    public WebhookSubscriptionService(TransactionOperations<Connection> tx, TenantJdbc jdbc, WebhookTargetPolicy policy,
                                      Topology topology) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.policy = policy;
        this.notifiedTypes = new TreeSet<>(topology.queueOfFunction(Topology.NOTIFICATION).bindings().stream()
                .map(EventType::typeName).toList());
    }

    public WebhookView create(Caller caller, CreateWebhookRequest request) {
        require(caller, Action.CREATE);
        UUID companyId = companyOf(caller, request.companyId());
        List<String> types = eventTypes(request.eventTypes());
        String url = request.url().trim();
        try {
            policy.check(url);
        } catch (WebhookTargetPolicy.RefusedTarget refused) {
            throw ProblemException.badRequest("webhook URL refused: " + refused.getMessage(), Map.of("url", refused.getMessage()));
        }
        String secret = newSecret();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        tx.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO webhook_subscriptions (id, company_id, url, event_types, secret, description, created_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setObject(1, id);
                ps.setObject(2, companyId);
                ps.setString(3, url);
                ps.setArray(4, c.createArrayOf("text", types.toArray()));
                ps.setString(5, secret);
                ps.setString(6, request.description());
                ps.setString(7, caller.actorId());
                ps.setTimestamp(8, Timestamp.from(now));
                ps.executeUpdate();
            }
            return null;
        });
        return new WebhookView(id, companyId, url, types, request.description(), true, 0, caller.actorId(), now, secret);
    }

    public WebhookPages.Subscriptions list(Caller caller, @Nullable UUID companyId, @Nullable Integer limit, @Nullable String cursor) {
        require(caller, Action.READ);
        int n = limit(limit);
        UUID after = cursor == null || cursor.isBlank() ? null : uuid(cursor, "cursor");
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM webhook_subscriptions w WHERE w.active AND {scope:w}");
        List<Object> args = new ArrayList<>();
        if (companyId != null) {
            sql.append(" AND w.company_id = ?");
            args.add(companyId);
        }
        if (after != null) {
            sql.append(" AND w.id > ?");
            args.add(after);
        }
        sql.append(" ORDER BY w.id LIMIT ?");
        args.add(n + 1);
        List<WebhookView> rows = tx.executeRead(status -> jdbc.list(status.getConnection(), TenantScope.of(caller),
                sql.toString(), WebhookSubscriptionService::view, args.toArray()));
        String next = rows.size() > n ? rows.get(n - 1).id().toString() : null;
        return new WebhookPages.Subscriptions(rows.size() > n ? rows.subList(0, n) : rows, next);
    }

    public WebhookView get(Caller caller, UUID id) {
        require(caller, Action.READ);
        return tx.executeRead(status -> find(status.getConnection(), caller, id));
    }

    /** The most recent deliveries to one subscription, newest first. */
    public WebhookPages.Deliveries deliveries(Caller caller, UUID id, @Nullable Integer limit) {
        require(caller, Action.READ);
        int n = limit(limit);
        return tx.executeRead(status -> {
            Connection c = status.getConnection();
            find(c, caller, id);
            List<WebhookDeliveryView> items = jdbc.list(c, TenantScope.of(caller), """
                            SELECT d.event_id, d.event_type, d.status, d.attempts, d.last_response_code, d.last_error,
                                   d.first_attempt_at, d.last_attempt_at, d.delivered_at
                            FROM webhook_deliveries d WHERE d.subscription_id = ? AND {scope:d}
                            ORDER BY d.last_attempt_at DESC, d.event_id LIMIT ?""",
                    rs -> new WebhookDeliveryView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
                            (Integer) rs.getObject(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                            rs.getTimestamp(8).toInstant(), rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant()),
                    id, n);
            return new WebhookPages.Deliveries(items, null);
        });
    }

    /** Deactivates the subscription: nothing more is delivered to it; its delivery history stays. */
    public void delete(Caller caller, UUID id) {
        require(caller, Action.DELETE);
        tx.executeWrite(status -> {
            Connection c = status.getConnection();
            find(c, caller, id);
            jdbc.update(c, TenantScope.of(caller),
                    "UPDATE webhook_subscriptions w SET active = false, deleted_at = now() WHERE w.id = ? AND w.active AND {scope:w}", id);
            return null;
        });
    }

    private WebhookView find(Connection c, Caller caller, UUID id) throws SQLException {
        return jdbc.one(c, TenantScope.of(caller), "SELECT " + COLUMNS + " FROM webhook_subscriptions w WHERE w.id = ? AND w.active AND {scope:w}",
                WebhookSubscriptionService::view, id).orElseThrow(() -> ProblemException.notFound("webhook subscription"));
    }

    private static void require(Caller caller, Action action) {
        if (PermissionMatrix.scopeOf(caller, WEBHOOK, action).isEmpty()) {
            throw ProblemException.forbidden("your profiles may not " + action.name().toLowerCase() + " webhook subscriptions");
        }
    }

    private static UUID companyOf(Caller caller, @Nullable UUID requested) {
        if (requested == null) {
            if (caller.companyIds().size() != 1) {
                throw ProblemException.badRequest("companyId is required", Map.of("companyId",
                        "required: you belong to " + (caller.platformAdmin() ? "every company" : caller.companyIds().size() + " companies")));
            }
            return caller.companyIds().iterator().next();
        }
        if (!caller.belongsTo(requested)) {
            throw ProblemException.multiTenancyViolation("you do not belong to company " + requested);
        }
        return requested;
    }

    private List<String> eventTypes(List<String> requested) {
        Set<String> types = new LinkedHashSet<>();
        for (String t : requested) {
            String type = t.trim();
            if (!notifiedTypes.contains(type)) {
                throw ProblemException.badRequest("unknown or unsupported event type '" + type + "'",
                        Map.of("eventTypes", "each must be one of " + String.join(", ", notifiedTypes)));
            }
            types.add(type);
        }
        return new ArrayList<>(types);
    }

    private static int limit(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT, Map.of("limit", "between 1 and " + MAX_LIMIT));
        }
        return limit;
    }

    private static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid " + field, Map.of(field, "not a valid cursor"));
        }
    }

    /** 32 random bytes; receivers use it as the HMAC key. */
    private String newSecret() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static WebhookView view(ResultSet rs) throws SQLException {
        Array types = rs.getArray(4);
        List<String> eventTypes = new ArrayList<>();
        for (Object t : (Object[]) types.getArray()) {
            eventTypes.add((String) t);
        }
        return new WebhookView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), eventTypes,
                rs.getString(5), rs.getBoolean(6), rs.getInt(7), rs.getString(8), rs.getTimestamp(9).toInstant(), null);
    }
}
