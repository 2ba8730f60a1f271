package realty.local.rbac;

import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.core.security.Profile;
import realty.local.TestSystem;
import realty.local.rbac.PermissionMatrixTest.Target;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Two companies with one user per profile in company A, agent records for the agent and the
 * prospector, and rows of each resource: one "own" to those users, one not, and one in company B.
 * {@link #probe} performs one action as one profile on one target and returns the HTTP status.
 */
final class MatrixWorld {
    private final TestSystem t;
    private final String admin;
    final UUID companyA;
    final UUID companyB;
    private final Map<Profile, String> tokens = new EnumMap<>(Profile.class);
    private final Map<Profile, UUID> userIds = new EnumMap<>(Profile.class);
    private final Map<Profile, UUID> ownAgent = new EnumMap<>(Profile.class);
    private final UUID otherUserA;
    private final UUID userB;
    private final UUID otherAgentA;
    private final UUID agentB;
    private final UUID ownPropertyA;
    private final UUID otherPropertyA;
    private final UUID propertyB;
    private final UUID ownSaleA;
    private final UUID otherSaleA;
    private final UUID saleB;
    private final UUID ownRuleA;
    private final UUID otherRuleA;
    private final UUID ruleB;
    private final UUID webhookA;
    private final UUID webhookB;
    private final java.util.Set<UUID> propertiesOfB = new java.util.HashSet<>();
    private final java.util.Set<UUID> ownProperties = new java.util.HashSet<>();

    MatrixWorld(TestSystem t) throws Exception {
        this.t = t;
        admin = t.adminToken();
        companyA = UUID.fromString(t.createCompany(admin, "Matrix A"));
        companyB = UUID.fromString(t.createCompany(admin, "Matrix B"));
        for (Profile p : Profile.values()) {
            String email = TestSystem.email("matrix-" + p.code());
            userIds.put(p, userId(t.createUser(admin, email, List.of(p.code()), List.of(companyA.toString()))));
            tokens.put(p, t.login(email, "a-long-password"));
        }
        otherUserA = userId(t.createUser(admin, TestSystem.email("other-a"), List.of("receptionist"), List.of(companyA.toString())));
        userB = userId(t.createUser(admin, TestSystem.email("user-b"), List.of("agent"), List.of(companyB.toString())));
        ownAgent.put(Profile.AGENT, agent(companyA, userIds.get(Profile.AGENT)));
        ownAgent.put(Profile.PROSPECTOR, agent(companyA, userIds.get(Profile.PROSPECTOR)));
        otherAgentA = agent(companyA, null);
        agentB = agent(companyB, null);
        ownPropertyA = ownProperty();
        otherPropertyA = property(companyA, null, null, null);
        propertyB = property(companyB, null, null, null);
        for (UUID[] pa : new UUID[][]{{ownPropertyA, otherAgentA}, {otherPropertyA, otherAgentA}, {propertyB, agentB}}) {
            ok(t.call("POST", "/api/v1/properties/" + pa[0] + "/assignments", admin, Map.of("agentId", pa[1].toString())), 201);
        }
        ownRuleA = rule(ownAgent.get(Profile.AGENT));
        rule(ownAgent.get(Profile.PROSPECTOR));
        otherRuleA = rule(otherAgentA);
        ruleB = rule(agentB);
        ownSaleA = sale(ownProperty());
        otherSaleA = sale(property(companyA, otherAgentA, null, null));
        saleB = sale(property(companyB, agentB, null, null));
        webhookA = webhook(companyA);
        webhookB = webhook(companyB);
    }

    String token(Profile p) {
        return tokens.get(p);
    }

    /** Performs the action; empty when the API has no such operation or the target does not exist for this profile. */
    Optional<Integer> probe(Profile p, String token, Resource r, Action a, Target target) throws Exception {
        UUID company = target == Target.B ? companyB : companyA;
        return switch (r) {
            case COMPANY -> switch (a) {
                case READ -> target == Target.OTHER_A ? Optional.empty() : status("GET", "/api/v1/companies/" + company, token, null);
                case CREATE -> target == Target.OWN_A ? status("POST", "/api/v1/companies", token, Map.of("name", "Probe")) : Optional.empty();
                case UPDATE -> target == Target.OTHER_A ? Optional.empty()
                        : status("PUT", "/api/v1/companies/" + company + "/settings", token, Map.of("prospectorSharePercent", 30));
                default -> Optional.empty();
            };
            case USER -> switch (a) {
                case CREATE -> target == Target.OTHER_A ? Optional.empty() : status("POST", "/api/v1/users", token, Map.of(
                        "email", TestSystem.email("probe"), "name", "Probe", "password", "a-long-password",
                        "profiles", List.of(p == Profile.AGENT ? "portal" : "agent"), "companyIds", List.of(company.toString())));
                case READ -> target == Target.OWN_A ? Optional.empty()
                        : status("GET", "/api/v1/users/" + (target == Target.B ? userB : otherUserA), token, null);
                case UPDATE -> target == Target.OWN_A ? Optional.empty() : status("PATCH", "/api/v1/users/" + freshUser(target), token,
                        Map.of("profiles", List.of("agent", "portal")));
                case DEACTIVATE -> target == Target.OWN_A ? Optional.empty() : status("PATCH", "/api/v1/users/" + freshUser(target), token,
                        Map.of("active", false));
                default -> Optional.empty();
            };
            case AGENT -> {
                UUID row = switch (target) {
                    case OWN_A -> ownAgent.get(p);
                    case OTHER_A -> otherAgentA;
                    case B -> agentB;
                };
                yield switch (a) {
                    case CREATE -> target == Target.OTHER_A ? Optional.empty()
                            : status("POST", "/api/v1/agents", token, Map.of("companyId", company.toString(), "name", "Probe agent"));
                    case READ -> row == null ? Optional.empty() : status("GET", "/api/v1/agents/" + row, token, null);
                    case UPDATE -> row == null ? Optional.empty() : status("PATCH", "/api/v1/agents/" + row, token, Map.of("name", "Renamed"));
                    case DELETE -> target == Target.OWN_A ? Optional.empty()
                            : status("DELETE", "/api/v1/agents/" + agent(company, null), token, null);
                    default -> Optional.empty();
                };
            }
            case PROPERTY -> {
                UUID row = target == Target.OWN_A ? ownPropertyA : target == Target.OTHER_A ? otherPropertyA : propertyB;
                yield switch (a) {
                    case CREATE -> target == Target.OTHER_A ? Optional.empty() : status("POST", "/api/v1/properties", token,
                            Map.of("companyId", company.toString(), "referenceCode", "P-" + UUID.randomUUID(), "title", "Probe",
                                    "type", "house"));
                    case READ -> status("GET", "/api/v1/properties/" + row, token, null);
                    case UPDATE -> status("PATCH", "/api/v1/properties/" + row, token, Map.of("title", "Probe " + UUID.randomUUID()));
                    case DELETE -> status("DELETE", "/api/v1/properties/" + (target == Target.OWN_A ? ownProperty()
                            : property(company, null, null, null)), token, null);
                    default -> Optional.empty();
                };
            }
            case ASSIGNMENT -> {
                UUID property = target == Target.OWN_A ? ownPropertyA : target == Target.OTHER_A ? otherPropertyA : propertyB;
                UUID agent = target == Target.B ? agentB : otherAgentA;
                String base = "/api/v1/properties/" + property + "/assignments";
                yield switch (a) {
                    case CREATE -> status("POST", base, token, Map.of("agentId", agent.toString(), "responsibility", "secondary"));
                    case READ -> status("GET", base, token, null);
                    case UPDATE -> status("PATCH", base + "/" + agent, token, Map.of("responsibility", "support"));
                    case DELETE -> {
                        UUID fresh = agent(company, null);
                        ok(t.call("POST", base, admin, Map.of("agentId", fresh.toString())), 201);
                        yield status("DELETE", base + "/" + fresh, token, null);
                    }
                    default -> Optional.empty();
                };
            }
            case SALE -> {
                UUID row = target == Target.OWN_A ? ownSaleA : target == Target.OTHER_A ? otherSaleA : saleB;
                yield switch (a) {
                    case CREATE -> status("POST", "/api/v1/sales", token, saleBody(switch (target) {
                        case OWN_A -> ownProperty();
                        case OTHER_A -> property(companyA, otherAgentA, null, null);
                        case B -> property(companyB, agentB, null, null);
                    }));
                    case READ -> status("GET", "/api/v1/sales/" + row, token, null);
                    case UPDATE -> status("POST", "/api/v1/sales/" + (target == Target.OWN_A ? sale(ownProperty())
                            : target == Target.OTHER_A ? sale(property(companyA, otherAgentA, null, null))
                            : sale(property(companyB, agentB, null, null))) + "/cancel", token, null);
                    case RECALCULATE -> status("POST", "/api/v1/sales/" + (target == Target.OWN_A ? sale(ownProperty())
                            : target == Target.OTHER_A ? sale(property(companyA, otherAgentA, null, null))
                            : sale(property(companyB, agentB, null, null))) + "/recalculate", token, null);
                    default -> Optional.empty();
                };
            }
            case COMMISSION_RULE -> {
                UUID row = target == Target.OWN_A ? ownRuleA : target == Target.OTHER_A ? otherRuleA : ruleB;
                yield switch (a) {
                    case CREATE -> target == Target.OTHER_A ? Optional.empty() : status("POST", "/api/v1/commission-rules", token,
                            ruleBody(target == Target.B ? agentB : otherAgentA, company));
                    case READ -> status("GET", "/api/v1/commission-rules/" + row, token, null);
                    case UPDATE -> status("PATCH", "/api/v1/commission-rules/" + row, token, Map.of("percentage", "5.5"));
                    case DELETE -> status("DELETE", "/api/v1/commission-rules/" + (target == Target.OWN_A ? rule(ownAgent.get(Profile.AGENT))
                            : rule(target == Target.B ? agentB : otherAgentA)), token, null);
                    default -> Optional.empty();
                };
            }
            case COMMISSION_TRANSACTION -> switch (a) {
                case READ -> status("GET", "/api/v1/commissions/" + transaction(target == Target.OWN_A ? ownSaleA
                        : target == Target.OTHER_A ? otherSaleA : saleB, ownAgent.get(p)), token, null);
                case PAY, CANCEL -> status("POST", "/api/v1/commissions/" + transaction(sale(switch (target) {
                    case OWN_A -> ownProperty();
                    case OTHER_A -> property(companyA, otherAgentA, null, null);
                    case B -> property(companyB, agentB, null, null);
                }), ownAgent.get(p)) + "/" + a.name().toLowerCase(), token, null);
                default -> Optional.empty();
            };
            case WEBHOOK -> switch (a) {
                case CREATE -> target == Target.OTHER_A ? Optional.empty() : status("POST", "/api/v1/webhooks", token, Map.of(
                        "companyId", company.toString(), "url", "http://127.0.0.1:9/hook", "eventTypes", List.of("user.created")));
                case READ -> target == Target.OTHER_A ? Optional.empty()
                        : status("GET", "/api/v1/webhooks/" + (target == Target.B ? webhookB : webhookA), token, null);
                case DELETE -> target == Target.OTHER_A ? Optional.empty()
                        : status("DELETE", "/api/v1/webhooks/" + webhook(company), token, null);
                default -> Optional.empty();
            };
            case AUDIT_LOG -> a == Action.READ && target == Target.OWN_A
                    ? status("GET", "/api/v1/audit-logs?limit=5", token, null) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private Optional<Integer> status(String method, String path, String token, Object body) throws Exception {
        return Optional.of(t.call(method, path, token, body).status());
    }

    private UUID freshUser(Target target) throws Exception {
        UUID company = target == Target.B ? companyB : companyA;
        return userId(t.createUser(admin, TestSystem.email("fresh"), List.of("agent"), List.of(company.toString())));
    }

    private UUID ownProperty() throws Exception {
        UUID id = property(companyA, ownAgent.get(Profile.AGENT), ownAgent.get(Profile.PROSPECTOR), userIds.get(Profile.PORTAL));
        ownProperties.add(id);
        return id;
    }

    private UUID agent(UUID company, UUID userId) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("companyId", company.toString(), "name", "Agent " + UUID.randomUUID()));
        if (userId != null) {
            body.put("userId", userId.toString());
        }
        return UUID.fromString((String) ok(t.call("POST", "/api/v1/agents", admin, body), 201).body().get("id"));
    }

    private UUID property(UUID company, UUID agentId, UUID prospectorId, UUID ownerUserId) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("companyId", company.toString(), "referenceCode", "R-" + UUID.randomUUID(),
                "title", "Fixture property", "type", "apartment", "price", "450000.00"));
        if (agentId != null) {
            body.put("agentId", agentId.toString());
        }
        if (prospectorId != null) {
            body.put("prospectorId", prospectorId.toString());
        }
        if (ownerUserId != null) {
            body.put("ownerUserId", ownerUserId.toString());
        }
        UUID id = UUID.fromString((String) ok(t.call("POST", "/api/v1/properties", admin, body), 201).body().get("id"));
        if (company.equals(companyB)) {
            propertiesOfB.add(id);
        }
        return id;
    }

    /** The portal user of company A buys company A's properties (so the sale is "own" to them). */
    private Map<String, Object> saleBody(UUID property) {
        Map<String, Object> body = new HashMap<>(Map.of("propertyId", property.toString(), "salePrice", "500000.00",
                "saleDate", java.time.LocalDate.now().toString(), "buyerName", "Comprador"));
        if (ownProperties.contains(property)) {
            body.put("buyerUserId", userIds.get(Profile.PORTAL).toString());
        }
        return body;
    }

    private UUID sale(UUID property) throws Exception {
        return UUID.fromString((String) ok(t.call("POST", "/api/v1/sales", admin, saleBody(property)), 201).body().get("id"));
    }

    private static Map<String, Object> ruleBody(UUID agent, UUID company) {
        return Map.of("companyId", company.toString(), "agentId", agent.toString(), "transactionType", "sale",
                "structure", "percentage", "percentage", "6", "validFrom", "2020-01-01");
    }

    private UUID rule(UUID agent) throws Exception {
        UUID company = agent.equals(agentB) ? companyB : companyA;
        return UUID.fromString((String) ok(t.call("POST", "/api/v1/commission-rules", admin, ruleBody(agent, company)), 201).body().get("id"));
    }

    /** The commission transaction of a sale paid to {@code agent} if there is one, else the first. */
    private UUID transaction(UUID sale, UUID agent) throws Exception {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) ok(t.call("GET", "/api/v1/commissions?saleId=" + sale, admin, null), 200)
                .body().get("items");
        return UUID.fromString((String) items.stream().filter(i -> agent != null && agent.toString().equals(i.get("agentId")))
                .findFirst().orElse(items.get(0)).get("id"));
    }

    private UUID webhook(UUID company) throws Exception {
        return UUID.fromString((String) ok(t.call("POST", "/api/v1/webhooks", admin, Map.of("companyId", company.toString(),
                "url", "http://127.0.0.1:9/hook", "eventTypes", List.of("user.created"))), 201).body().get("id"));
    }

    private static UUID userId(TestSystem.Response r) {
        return UUID.fromString((String) ok(r, 201).body().get("id"));
    }

    private static TestSystem.Response ok(TestSystem.Response r, int expected) {
        if (r.status() != expected) {
            throw new AssertionError("fixture call answered " + r.status() + " " + r.body());
        }
        return r;
    }
}
