package realty.local.plans;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import realty.api.admin.ConsumerActivityRepository;
import realty.api.agent.AgentRepository;
import realty.api.auth.CallerRepository;
import realty.api.auth.UserCredentialsRepository;
import realty.api.commission.CommissionRuleRepository;
import realty.api.company.CompanyRepository;
import realty.api.event.EventRepository;
import realty.api.invitation.InvitationRepository;
import realty.api.password.PasswordResetRepository;
import realty.api.property.AssignmentRepository;
import realty.api.property.PropertyRepository;
import realty.api.sale.SaleRepository;
import realty.api.security.RefusalWindowRepository;
import realty.api.user.UserRepository;
import realty.api.webhook.WebhookRepository;
import realty.commission.SaleCommissionRepository;
import realty.core.audit.AuditRecorder;
import realty.core.bulk.BulkOperationRepository;
import realty.core.commission.CommissionLookupRepository;
import realty.core.commission.CommissionTransactionRepository;
import realty.core.consumer.ConsumerOutcomes;
import realty.core.outbox.Outbox;
import realty.core.outbox.OutboxRepository;
import realty.notification.mail.CompanyNameRepository;
import realty.notification.mail.MailLedgerRepository;
import realty.notification.mail.PasswordResetRecipientRepository;
import realty.notification.mail.RecipientRepository;
import realty.notification.webhook.WebhookDeliveryRepository;
import realty.notification.webhook.WebhookSubscriberRepository;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every per-batch and per-request statement of the hot paths (outbox and relay, consumer runtime and
 * bulk progress, audit, commission, notification, the API's caller, user creation, invitation,
 * login and password links, refusal counting, and the main statement of each list endpoint not
 * covered by a plan test of its own) reads its rows through an index on a million rows per table
 * that were never analysed: no Seq Scan of a big table, no full-index scan, no Sort of a range of
 * one (issue 16, item 1; targets.md P9). Each statement is the one the code sends (its
 * {@code @Query} or SQL constant), as the custom plan PostgreSQL makes with its values, and as the
 * generic plan the server may keep once the statement is prepared on it. The application's
 * connections set plan_cache_mode=force_custom_plan (core's application.yml; CompanyPagesTest checks
 * it), because in a generic plan the tenant condition {@code (:allCompanies OR company_id =
 * ANY(:companies))} can use no index; but the consumer batches and user creation run with
 * {@code SET LOCAL plan_cache_mode = auto} or {@code force_generic_plan} (GenericPlans), so their statements must be safe as
 * generic plans too. Those checks run with ANALYZE (rolled back), so branches that a one-time
 * filter switches off for the given values count as never executed. Statements that only run on the
 * connection's default are marked {@link Check#customOnly}. The rules are {@link PlanProbe#problems}.
 */
class HotPathPlansTest {
    private static final Map<String, String> SCOPE_TYPES = Map.of("allCompanies", "boolean", "companies", "text[]", "ownOnly", "boolean",
            "ownUser", "uuid", "viaAgent", "boolean", "viaProspector", "boolean", "viaUser", "boolean");
    private static final String COMPANY = "'" + PlanProbe.id("company", 1) + "'";

    private final PlanProbe db = PlanProbe.hotTables();

    /** One statement to check: its SQL, its parameters' types and values by name (or position, for JDBC's ?). */
    private static final class Check {
        final String what;
        final String sql;
        final Map<String, String> types = new LinkedHashMap<>();
        final Map<String, String> values = new LinkedHashMap<>();
        final List<String> positionalTypes = new ArrayList<>();
        final List<String> positionalValues = new ArrayList<>();
        final Set<String> bounded = new java.util.HashSet<>();
        final boolean positional;
        /** Why the statement never runs on a kept generic plan, so only its custom plan is checked; null if it may. */
        String customOnly;

        Check(String what, String sql, boolean positional) {
            this.what = what;
            this.sql = sql;
            this.positional = positional;
        }

        Check p(String name, String type, String value) {
            types.put(name, type);
            values.put(name, value);
            return this;
        }

        Check p(String type, String value) {
            positionalTypes.add(type);
            positionalValues.add(value);
            return this;
        }

        /** The scope of one company (a consumer on an event of it, or a caller of it). */
        Check company() {
            return scope(false, "'{" + COMPANY.replace("'", "") + "}'");
        }

        /** Every company: system work, the platform admin. */
        Check system() {
            return scope(true, "'{}'");
        }

        private Check scope(boolean all, String companies) {
            types.putAll(SCOPE_TYPES);
            values.putAll(Map.of("allCompanies", String.valueOf(all), "companies", companies, "ownOnly", "false",
                    "ownUser", "'" + new UUID(0, 0) + "'", "viaAgent", "false", "viaProspector", "false", "viaUser", "false"));
            return this;
        }

        /** An agent's own scope: the rows linked to their agent records. */
        Check ownAgent() {
            company();
            values.putAll(Map.of("ownOnly", "true", "ownUser", "'" + PlanProbe.id("user", 1) + "'", "viaAgent", "true",
                    "viaProspector", "true", "viaUser", "true"));
            return this;
        }

        /** A partial index the business keeps small, which the statement may read whole. */
        Check bounded(String index) {
            bounded.add(index);
            return this;
        }

        /** Runs only in transactions that keep the connection's force_custom_plan (no GenericPlans.allow): custom plan only. */
        Check customOnly(String why) {
            customOnly = why;
            return this;
        }
    }

    private static Check named(String what, Class<?> repository, String method) {
        return new Check(what, PlanProbe.query(repository, method), false);
    }

    private static Check sql(String what, String sql) {
        return new Check(what, sql, false);
    }

    private static Check jdbc(String what, String sql) {
        return new Check(what, PlanProbe.numberQuestionMarks(sql), true);
    }

    /** A uuid[] literal of rows {@code from..to} of a kind. */
    private static String ids(String kind, int from, int to) {
        return "'{" + String.join(",", IntStream.rangeClosed(from, to).mapToObj(g -> PlanProbe.id(kind, g).toString()).toList()) + "}'";
    }

    private static String id(String kind, int n) {
        return "'" + PlanProbe.id(kind, n) + "'";
    }

    private static final String NOW = "now()";

    private List<Check> checks() throws Exception {
        List<Check> all = new ArrayList<>();
        String pendingEvents = ids("event", 1, 100);
        String events = ids("event", 5001, 5100);

        // ---- outbox: the request's insert, the relay
        all.add(jdbc("outbox: insert of a request's events", Outbox.INSERT)
                .p("uuid", "gen_random_uuid()").p("text", "'user.created'").p("int", "1").p("uuid", COMPANY).p("text", "'user'")
                .p("text", "'x'").p("text", "'request-x'").p("int", "5").p("text", "'{}'").p("timestamptz", NOW));
        all.add(named("outbox: lock the committed events to publish", OutboxRepository.class, "lockPending").p("ids", "uuid[]", pendingEvents));
        all.add(named("outbox relay: lock the oldest pending", OutboxRepository.class, "lockOldestPending")
                .p("graceSeconds", "float8", "5").p("limit", "int", "500")
                // The pending rows are the backlog: the page is its oldest rows, past the grace period.
                .bounded("outbox_events_pending"));
        all.add(named("outbox: mark published", OutboxRepository.class, "markPublished").p("ids", "uuid[]", pendingEvents));
        // The pending rows are the backlog, which the relay keeps short: their partial index is read whole.
        all.add(named("outbox relay: backlog gauge", OutboxRepository.class, "backlog").bounded("outbox_events_pending"));

        // ---- consumer runtime (lock and record: HotStatementPlansTest) and bulk progress
        all.add(sql("consumer runtime: ensure outcome rows", ConsumerOutcomes.ENSURE)
                .p("consumer", "text", "'audit'").p("ids", "uuid[]", events));
        all.add(named("bulk progress: advance the batch's bulks", BulkOperationRepository.class, "advance").system()
                .p("bulkCompanies", "text[]", "'{" + PlanProbe.id("company", 2) + "," + PlanProbe.id("company", 3) + "}'")
                .p("correlations", "text[]", "'{request-1,request-2}'").p("deltas", "int[]", "'{-1,-1}'").p("failed", "int[]", "'{0,0}'"));
        // Once per finished bulk with failures, from the few failing outcomes.
        all.add(named("bulk progress: failed items of a finished bulk", BulkOperationRepository.class, "failedItems").system()
                .p("companyId", "uuid", COMPANY).p("correlationId", "text", "'request-7'").p("itemCount", "int", "10")
                .bounded("consumer_outcomes_failing"));
        all.add(named("bulk progress: record failed items", BulkOperationRepository.class, "recordFailedItems").system()
                .p("id", "uuid", id("bulk", 7)).p("failedItems", "int", "1"));

        // ---- audit function (and the API's inline fallback)
        all.add(jdbc("audit: insert of an event's row", AuditRecorder.INSERT)
                .p("uuid", "gen_random_uuid()").p("uuid", COMPANY).p("uuid", "gen_random_uuid()").p("text", "'user.created'")
                .p("text", "'u'").p("text[]", "'{owner}'").p("text", "NULL").p("text", "'user'").p("text", "'x'")
                .p("timestamptz", NOW).p("text", "'request-x'").p("text", "NULL").p("text", "NULL").p("text", "'{}'"));

        // ---- commission function (and the API's split of one sale)
        all.add(named("commission: lock the pending sales of a split request", SaleCommissionRepository.class, "lockPending").company()
                .p("saleIds", "uuid[]", ids("sale", 1000, 1100)));
        all.add(named("commission: record the sales' split status", SaleCommissionRepository.class, "recordStatus").company()
                .p("saleIds", "uuid[]", ids("sale", 1000, 1100)).p("statuses", "text[]", "array_fill('calculated'::text, ARRAY[101])"));
        all.add(named("commission: the agents' sale rules", CommissionLookupRepository.class, "saleRules").company()
                .p("agentIds", "uuid[]", ids("agent", 1000, 1100)));
        all.add(named("commission: the company's prospector share", CommissionLookupRepository.class, "prospectorSharePercent").company()
                .p("companyId", "uuid", COMPANY));
        all.add(named("commission: users of the agents", CommissionLookupRepository.class, "usersOfAgents").company()
                .p("agentIds", "uuid[]", ids("agent", 1000, 1100)));
        // The company's users are what these two ask for.
        all.add(named("commission: the company's financial users", CommissionLookupRepository.class, "financialUsers").company()
                .p("companyId", "uuid", COMPANY).bounded("user_companies_company"));
        String n = "ARRAY[2]";
        all.add(named("commission: insert the split's transactions", CommissionTransactionRepository.class, "insert")
                .p("snapshots", "text[]", "'{\"{}\"}'").p("ids", "uuid[]", "ARRAY[gen_random_uuid(), gen_random_uuid()]")
                .p("companyIds", "uuid[]", "array_fill(" + COMPANY + "::uuid, " + n + ")").p("saleIds", "uuid[]", ids("sale", 7, 8))
                .p("agentIds", "uuid[]", ids("agent", 7, 8)).p("roles", "text[]", "'{agent,prospector}'")
                .p("ruleIds", "uuid[]", ids("rule", 7, 8)).p("snapshotIndexes", "int[]", "'{1,1}'").p("bases", "text[]", "'{100,100}'")
                .p("totals", "text[]", "'{5,5}'").p("percentages", "text[]", "'{70,30}'").p("amounts", "text[]", "'{3.5,1.5}'")
                .p("calculatedBy", "text[]", "'{event:x,event:x}'"));

        // ---- notification function: recipients, mail ledger, held summaries, webhooks
        all.add(named("notification: users by id", RecipientRepository.class, "users").company().p("userIds", "uuid[]", ids("user", 1, 3)));
        all.add(named("notification: users of agents", RecipientRepository.class, "usersOfAgents").company()
                .p("agentIds", "uuid[]", ids("agent", 1, 3)));
        all.add(named("notification: the company's users with a profile", RecipientRepository.class, "withProfile").company()
                .p("companyId", "uuid", COMPANY).p("profile", "text", "'financial'").bounded("user_companies_company"));
        all.add(named("notification: an agent's name", RecipientRepository.class, "agentName").company().p("agentId", "uuid", id("agent", 1)));
        all.add(named("notification: a property's label", RecipientRepository.class, "property").company()
                .p("propertyId", "uuid", id("property", 1)));
        all.add(named("notification: the property of a sale", RecipientRepository.class, "propertyOfSale").company()
                .p("saleId", "uuid", id("sale", 1)));
        all.add(named("notification: a company's name", CompanyNameRepository.class, "companyName").p("companyId", "uuid", COMPANY));
        all.add(named("notification: the recipient of a password reset", PasswordResetRecipientRepository.class, "pendingRecipient")
                .p("requestId", "uuid", id("reset", 7)));
        all.add(named("mail ledger: already sent?, and sent in the rate window", MailLedgerRepository.class, "standing")
                .p("eventId", "uuid", id("event", 7)).p("recipient", "text", "'r7@plans.test'").p("windowMillis", "bigint", "3600000"));
        all.add(named("mail ledger: record a mail", MailLedgerRepository.class, "record").p("eventId", "uuid", "gen_random_uuid()")
                .p("eventType", "text", "'user.created'").p("companyId", "uuid", COMPANY).p("userId", "uuid", id("user", 7))
                .p("recipient", "text", "'r7@plans.test'").p("name", "text", "'R'").p("locale", "text", "'pt-BR'")
                .p("template", "text", "'welcome'").p("subject", "text", "'W'").p("status", "text", "'SENT'").p("sent", "boolean", "true"));
        // Runs after every batch of events (and by housekeeping): HELD rows are the mails over the rate limit
        // waiting for their summary, few by design.
        all.add(named("mail ledger: recipients due for a summary", MailLedgerRepository.class, "recipientsDueForSummary")
                .p("windowMillis", "bigint", "3600000").p("maxPerRecipient", "int", "20").p("limit", "int", "20")
                .bounded("sent_notifications_held"));
        all.add(named("mail ledger: held mails of a recipient", MailLedgerRepository.class, "held").p("recipient", "text", "'r1000@plans.test'"));
        all.add(named("mail ledger: lock held mails of a recipient", MailLedgerRepository.class, "lockHeld")
                .p("recipient", "text", "'r1000@plans.test'"));
        all.add(named("mail ledger: record a summary", MailLedgerRepository.class, "recordSummary").p("userId", "uuid", id("user", 7))
                .p("recipient", "text", "'r7@plans.test'").p("name", "text", "'R'").p("locale", "text", "'pt-BR'")
                .p("template", "text", "'summary'").p("subject", "text", "'S'"));
        all.add(named("mail ledger: mark summarised", MailLedgerRepository.class, "markSummarized").p("summaryId", "bigint", "1")
                .p("ids", "bigint[]", "'{1000,2000,3000}'"));
        // A company's active subscriptions, a handful: what the statement asks for.
        all.add(named("webhooks: subscribers of an event", WebhookSubscriberRepository.class, "subscribersOf").company()
                .p("eventType", "text", "'user.created'").p("occurredAt", "timestamptz", NOW).bounded("webhook_subscriptions_company"));
        all.add(named("webhooks: count an attempt", WebhookSubscriberRepository.class, "countAttempt").company()
                .p("id", "uuid", id("webhook", 1)).p("delivered", "boolean", "true"));
        all.add(named("webhooks: deliveries of an event", WebhookDeliveryRepository.class, "statusOf").p("eventId", "uuid", id("event", 7)));
        all.add(named("webhooks: record an attempt", WebhookDeliveryRepository.class, "recordAttempt").p("eventId", "uuid", id("event", 7))
                .p("subscriptionId", "uuid", id("webhook", 8)).p("companyId", "uuid", id("company", 8)).p("eventType", "text", "'user.created'")
                .p("status", "text", "'DELIVERED'").p("responseCode", "int", "200").p("error", "text", "NULL").p("delivered", "boolean", "true"));

        // ---- API: the caller, creating a user with an invitation (P1), login, links, refusals
        all.add(named("api: load the caller", CallerRepository.class, "load").system().p("id", "uuid", id("user", 7)));
        // The partial index holds the one platform admin.
        all.add(named("api: the platform admin's id", CallerRepository.class, "platformAdminId").bounded("users_one_platform_admin"));
        all.add(named("api: count active companies", UserRepository.class, "countActiveCompanies").system()
                .p("ids", "text[]", "'{" + PlanProbe.id("company", 1) + "}'"));
        all.add(named("api: create a user with profiles and companies", UserRepository.class, "create").p("id", "uuid", "gen_random_uuid()")
                .p("email", "text", "'new@plans.test'").p("name", "text", "'New'").p("passwordHash", "text", "NULL")
                .p("locale", "text", "'pt-BR'").p("createdBy", "text", "'u'").p("profiles", "text[]", "'{agent,owner}'")
                .p("companyIds", "text[]", "'{" + PlanProbe.id("company", 2) + "}'"));
        all.add(named("api: insert a user's profiles", UserRepository.class, "insertProfiles").p("userId", "uuid", id("user", 7))
                .p("profiles", "text[]", "'{agent}'"));
        all.add(named("api: insert a user's companies", UserRepository.class, "insertCompanies").p("userId", "uuid", id("user", 7))
                .p("companyIds", "text[]", "'{" + PlanProbe.id("company", 2) + "}'"));
        all.add(sql("api: the trigger that keeps the platform admin out of companies", platformAdminTrigger()).p("user", "uuid", id("user", 7))
                .bounded("users_one_platform_admin"));
        all.add(named("api: a user by id", UserRepository.class, "find").company().p("id", "uuid", id("user", 1)));
        all.add(named("api: an agent of a user in a company", AgentRepository.class, "findByUser").company()
                .p("companyId", "uuid", COMPANY).p("userId", "uuid", id("user", 1)));
        all.add(named("api: the agent holding a CPF in a company", AgentRepository.class, "findByCpf").company()
                .p("companyId", "uuid", COMPANY).p("cpf", "text", "'52998224725'"));
        all.add(named("api: link an agent record to a user", AgentRepository.class, "link").company()
                .p("id", "uuid", id("agent", 1)).p("userId", "uuid", id("user", 9)).p("creci", "text", "NULL"));
        all.add(named("api: update an agent record", AgentRepository.class, "update").company()
                .p("id", "uuid", id("agent", 1)).p("name", "text", "NULL").p("cpf", "text", "NULL").p("creci", "text", "NULL")
                .p("active", "boolean", "true"));
        all.add(named("api: insert an invitation", InvitationRepository.class, "insert").p("id", "uuid", "gen_random_uuid()")
                .p("userId", "uuid", id("user", 7)).p("tokenHash", "text", "md5('new')").p("expiresAt", "timestamptz", NOW)
                .p("createdBy", "text", "'u'"));
        all.add(named("api: an invitation by its token", InvitationRepository.class, "findByTokenHash").p("tokenHash", "text", "'token-00000007'"));
        all.add(named("api: lock the invitee", InvitationRepository.class, "lockInvitee").p("userId", "uuid", id("user", 7)));
        all.add(named("api: a user's open invitation", InvitationRepository.class, "findOpen").p("userId", "uuid", id("user", 7)));
        all.add(named("api: supersede an invitation", InvitationRepository.class, "supersede").p("id", "uuid", id("invitation", 7)));
        all.add(named("api: accept an invitation", InvitationRepository.class, "accept").p("id", "uuid", id("invitation", 7)));
        all.add(named("api: set the first password", InvitationRepository.class, "setFirstPassword").p("userId", "uuid", id("user", 7))
                .p("passwordHash", "text", "'x'"));
        all.add(named("api: login look-up by e-mail", UserCredentialsRepository.class, "findByEmail").p("email", "text", "'User0000007@plans.test'"));
        all.add(named("api: a password reset by its token", PasswordResetRepository.class, "findByTokenHash")
                .p("tokenHash", "text", "'reset-token-00000007'"));
        all.add(named("api: use a password reset", PasswordResetRepository.class, "markUsed").p("id", "uuid", id("reset", 7)));
        all.add(named("api: count a refusal", RefusalWindowRepository.class, "count").p("source", "text", "'source-7'")
                .p("windowStart", "timestamptz", "date_trunc('minute', now())"));
        all.add(named("api: a source's windows owing a summary", RefusalWindowRepository.class, "lockOwing")
                .p("source", "text", "'source-7'").p("current", "timestamptz", "date_trunc('minute', now())").p("limit", "int", "20")
                .customOnly("RefusalAudit's own transaction, planned at every execution"));
        all.add(named("api: mark a source's windows summarised", RefusalWindowRepository.class, "markSummarized")
                .p("source", "text", "'source-7'").p("current", "timestamptz", "date_trunc('minute', now())").p("limit", "int", "20"));
        all.add(named("api: drop day-old refusal windows", RefusalWindowRepository.class, "dropBefore")
                .p("before", "timestamptz", "now() - interval '1 day'").p("limit", "int", "20"));

        // ---- API list endpoints without a plan test of their own: a page of one company, and of every company
        int reads = all.size();
        String first = "'" + new UUID(0, 0) + "'";
        for (boolean platform : new boolean[] {false, true}) {
            String who = platform ? " (platform admin)" : " (one company)";
            // A company's page is a LATERAL per company over the index that gives the page order (as GET /sales).
            all.add(scoped(named("GET /users" + who, UserRepository.class, "list"), platform).p("after", "uuid", first).p("limit", "int", "51"));
            all.add(scoped(named("GET /properties" + who, PropertyRepository.class, "list"), platform).p("after", "uuid", first)
                    .p("companyId", "uuid", "NULL").p("status", "text", "NULL").p("limit", "int", "51"));
            all.add(scoped(named("GET /agents" + who, AgentRepository.class, "list"), platform).p("after", "uuid", first)
                    .p("companyId", "uuid", "NULL").p("limit", "int", "51"));
            all.add(scoped(named("GET /commissions" + who, realty.api.commission.CommissionTransactionRepository.class, "list"), platform)
                    .p("after", "uuid", first).p("saleId", "uuid", "NULL").p("agentId", "uuid", "NULL").p("status", "text", "NULL")
                    .p("limit", "int", "51"));
            all.add(scoped(named("GET /commission-rules" + who, CommissionRuleRepository.class, "list"), platform).p("after", "uuid", first)
                    .p("agentId", "uuid", "NULL").p("active", "boolean", "NULL").p("limit", "int", "51"));
            all.add(scoped(named("GET /companies" + who, CompanyRepository.class, "list"), platform).p("after", "uuid", first)
                    .p("limit", "int", "51"));
            all.add(scoped(named("GET /webhooks" + who, WebhookRepository.class, "list"), platform).p("companyId", "uuid", "NULL")
                    .p("after", "uuid", "NULL").p("limit", "int", "51").bounded("webhook_subscriptions_company"));
            all.add(scoped(named("GET /webhooks/{id}/deliveries" + who, WebhookRepository.class, "deliveries"), platform)
                    .p("subscriptionId", "uuid", id("webhook", 1)).p("limit", "int", "51"));
            all.add(scoped(named("GET /events?aggregate" + who, EventRepository.class, "byAggregate"), platform)
                    .p("aggregateType", "text", "'user'").p("aggregateId", "text", "'7'").p("afterSeq", "bigint", "0").p("limit", "int", "51"));
            // The failing outcomes are few by design (their partial index): the list drives from them.
            all.add(scoped(named("GET /events?status=DEAD" + who, EventRepository.class, "failing"), platform).p("status", "text", "'DEAD'")
                    .p("type", "text", "NULL").p("correlationId", "text", "NULL").p("beforeSeq", "bigint", "9223372036854775807")
                    .p("limit", "int", "51").bounded("consumer_outcomes_failing"));
            all.add(scoped(named("GET /properties/{id}/assignments" + who, AssignmentRepository.class, "list"), platform)
                    .p("propertyId", "uuid", id("property", 1)));
            all.add(scoped(named("GET /sales: the page's transactions" + who, SaleRepository.class, "transactionsOf"), platform)
                    .p("saleIds", "text[]", ids("sale", 1000, 1050)));
        }
        // An agent's own properties: their agent records by user (V15 agents_user), not a scan of the agents.
        all.add(named("GET /properties (an agent's own)", PropertyRepository.class, "list").ownAgent().p("after", "uuid", first)
                .p("companyId", "uuid", "NULL").p("status", "text", "NULL").p("limit", "int", "51"));
        // The platform admin's page of one company: that company's range, not the primary key filtered by company.
        all.add(named("GET /properties?companyId (platform admin)", PropertyRepository.class, "list").system().p("after", "uuid", first)
                .p("companyId", "uuid", COMPANY).p("status", "text", "NULL").p("limit", "int", "51"));
        all.add(named("GET /agents?companyId (platform admin)", AgentRepository.class, "list").system().p("after", "uuid", first)
                .p("companyId", "uuid", COMPANY).p("limit", "int", "51"));
        all.add(named("GET /events/{id}: outcomes", EventRepository.class, "outcomes").p("eventId", "uuid", id("event", 7)));
        all.add(named("admin: outcomes of the last minutes", ConsumerActivityRepository.class, "outcomes")
                .p("consumers", "text[]", "'{audit,commission,notification}'").p("windowSeconds", "float8", "300"));
        all.add(named("admin: a consumer's last outcome", ConsumerActivityRepository.class, "secondsSinceLastOutcome")
                .p("consumer", "text", "'audit'"));
        // Reads of the API run on the connection's default, a custom plan at every execution: their generic plans keep
        // branches for every shape of scope and filter, e.g. a walk of the primary key "filtered" by parameters that are null.
        for (Check read : all.subList(reads, all.size())) {
            read.customOnly("an API read, planned at every execution (the connection's force_custom_plan)");
        }
        return all;
    }

    private static Check scoped(Check check, boolean platform) {
        return platform ? check.system() : check.company();
    }

    /** The trigger function's look-up, as PL/pgSQL runs it (a prepared statement with NEW.user_id as parameter). */
    private String platformAdminTrigger() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT prosrc FROM pg_proc WHERE proname = 'user_companies_no_platform_admin'")) {
            assertTrue(rs.next(), "trigger function user_companies_no_platform_admin not found");
            Matcher m = Pattern.compile("EXISTS \\((SELECT .*?)\\) THEN").matcher(rs.getString(1));
            assertTrue(m.find(), rs.getString(1));
            return m.group(1).replace("NEW.user_id", ":user");
        }
    }

    @Test
    void theHotTablesHaveNeverBeenAnalysed() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL), "
                     + "(SELECT count(*) FROM pg_stats WHERE schemaname = 'public') FROM pg_stat_user_tables")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no table may have been analysed");
            assertEquals(0, rs.getLong(2), "no column statistics may exist");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM consumer_outcomes")) {
            rs.next();
            assertEquals(PlanProbe.ROWS, rs.getLong(1));
        }
    }

    @TestFactory
    List<DynamicTest> everyHotStatementReadsItsRowsThroughAnIndex() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Check check : checks()) {
            tests.add(DynamicTest.dynamicTest(check.what, () -> assertIndexed(check, false)));
            if (check.customOnly == null) {
                tests.add(DynamicTest.dynamicTest(check.what + " (generic plan)", () -> assertIndexed(check, true)));
            }
        }
        return tests;
    }

    /** The custom plan only: the application's connections plan every execution with its values (see the class comment). */
    private void assertIndexed(Check check, boolean generic) throws Exception {
        Map<String, Object> plan = explain(check, generic);
        String what = check.what + (generic ? " (generic)" : "");
        System.out.println("[plan] " + what + ": " + PlanProbe.summary(plan));
        assertEquals(List.of(), db.problems(plan, check.bounded), what + ": " + PlanProbe.summary(plan));
    }

    /**
     * A generic plan is EXPLAINed with ANALYZE (rolled back), so that the branches its one-time filters
     * turn off for these values show as never executed and are not judged; a write that the fill's
     * rows make fail (a foreign key, a unique key) is judged on its plan alone.
     */
    private Map<String, Object> explain(Check check, boolean generic) throws Exception {
        if (generic) {
            try {
                return explain(check, true, true);
            } catch (java.sql.SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
            }
        }
        return explain(check, generic, false);
    }

    private Map<String, Object> explain(Check check, boolean generic, boolean analyze) throws Exception {
        if (check.positional) {
            return db.explain(check.sql, generic, check.positionalTypes, check.positionalValues, analyze);
        }
        return db.explainNamed(check.sql, generic, new HashMap<>(check.types), new HashMap<>(check.values), analyze);
    }
}
