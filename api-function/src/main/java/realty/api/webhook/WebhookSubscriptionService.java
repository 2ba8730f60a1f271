package realty.api.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.core.event.EventType;
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix;
import realty.api.security.PermissionMatrix.Action;
import realty.core.tenancy.RowScope;
import realty.core.topology.Topology;
import realty.core.webhook.WebhookTargetPolicy;

import java.security.SecureRandom;
import java.sql.Connection;
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

    private final TransactionOperations<Connection> tx;
    private final WebhookRepository webhooks;
    private final WebhookTargetPolicy policy;
    private final Set<String> notifiedTypes;
    private final SecureRandom random = new SecureRandom();

    public WebhookSubscriptionService(TransactionOperations<Connection> tx, WebhookRepository webhooks, WebhookTargetPolicy policy,
                                      Topology topology) {
        this.tx = tx;
        this.webhooks = webhooks;
        this.policy = policy;
        this.notifiedTypes = new TreeSet<>(topology.queueOfFunction(Topology.NOTIFICATION).bindings().stream()
                .map(EventType::typeName).toList());
    }

    public WebhookView create(Caller caller, CreateWebhookRequest request) {
        require(caller, Action.CREATE);
        UUID companyId = Access.companyOrSole(caller, request.companyId());
        List<String> types = eventTypes(request.eventTypes());
        String url = request.url().trim();
        try {
            policy.check(url);
        } catch (WebhookTargetPolicy.RefusedTarget refused) {
            throw ProblemException.badRequest("webhook URL refused: " + refused.getMessage(), Map.of("url", refused.getMessage()));
        }
        String secret = newSecret();
        UUID id = TimeOrderedIds.next();
        Instant now = Instant.now();
        webhooks.insert(id, companyId, url, types.toArray(String[]::new), secret, request.description(), caller.actorId(), now);
        return new WebhookView(id, companyId, url, types, request.description(), true, 0, caller.actorId(), now, secret);
    }

    public WebhookPages.Subscriptions list(Caller caller, @Nullable UUID companyId, @Nullable Integer limit, @Nullable String cursor) {
        require(caller, Action.READ);
        int n = limit(limit);
        UUID after = cursor == null || cursor.isBlank() ? null : uuid(cursor, "cursor");
        List<WebhookView> rows = webhooks.list(RowScope.of(caller), companyId, after, n + 1).stream()
                .map(WebhookSubscriptionService::view).toList();
        String next = rows.size() > n ? rows.get(n - 1).id().toString() : null;
        return new WebhookPages.Subscriptions(rows.size() > n ? rows.subList(0, n) : rows, next);
    }

    public WebhookView get(Caller caller, UUID id) {
        require(caller, Action.READ);
        return find(caller, id);
    }

    /** The most recent deliveries to one subscription, newest first. */
    public WebhookPages.Deliveries deliveries(Caller caller, UUID id, @Nullable Integer limit) {
        require(caller, Action.READ);
        int n = limit(limit);
        return tx.executeRead(status -> {
            find(caller, id);
            return new WebhookPages.Deliveries(webhooks.deliveries(RowScope.of(caller), id, n), null);
        });
    }

    /** Deactivates the subscription: nothing more is delivered to it; its delivery history stays. */
    public void delete(Caller caller, UUID id) {
        require(caller, Action.DELETE);
        tx.executeWrite(status -> {
            find(caller, id);
            webhooks.deactivate(RowScope.of(caller), id);
            return null;
        });
    }

    private WebhookView find(Caller caller, UUID id) {
        return webhooks.find(RowScope.of(caller), id).map(WebhookSubscriptionService::view)
                .orElseThrow(() -> ProblemException.notFound("webhook subscription"));
    }

    private static void require(Caller caller, Action action) {
        if (PermissionMatrix.scopeOf(caller, WEBHOOK, action).isEmpty()) {
            throw ProblemException.forbidden("your profiles may not " + action.name().toLowerCase() + " webhook subscriptions");
        }
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

    private static WebhookView view(WebhookRepository.Row r) {
        return new WebhookView(r.id(), r.companyId(), r.url(), List.of(r.eventTypes()), r.description(), r.active(), r.failureCount(),
                r.createdBy(), r.createdAt(), null);
    }
}
