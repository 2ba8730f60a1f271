package realty.local.rbac;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.security.PermissionMatrix;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;
import realty.core.security.Profile;
import realty.local.TestSystem;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static realty.api.security.PermissionMatrix.Action.*;
import static realty.api.security.PermissionMatrix.Resource.*;

/**
 * Walks every cell of spec/domain.md §2.2 against the real API with users of two companies: each
 * profile in company A performs each action on a row it owns (where "own" applies), on another row
 * of company A and on a row of company B, and gets exactly the status the matrix implies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixTest {
    enum Target { OWN_A, OTHER_A, B }

    private TestSystem t;
    private MatrixWorld w;
    private final List<String> mismatches = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        w = new MatrixWorld(t);
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void theCodesMatrixIsTheDomainMatrix() {
        for (Profile p : Profile.values()) {
            for (Resource r : Resource.values()) {
                for (Action a : Action.values()) {
                    assertEquals(DomainMatrix.grant(p, r, a), PermissionMatrix.grantOf(p, r, a), p + " " + r + " " + a);
                }
            }
        }
    }

    @Test
    void everyCellAnswersAsTheMatrixSays() throws Exception {
        int probes = 0;
        for (Profile p : Profile.values()) {
            String token = w.token(p);
            for (Resource r : Resource.values()) {
                for (Action a : Action.values()) {
                    for (Target target : Target.values()) {
                        Optional<Integer> actual = w.probe(p, token, r, a, target);
                        if (actual.isEmpty()) {
                            continue; // no such operation in the API (e.g. deleting a company), or no such target
                        }
                        probes++;
                        int expected = expected(p, r, a, target);
                        if (actual.get() != expected) {
                            mismatches.add(p.code() + " " + a + " " + r + " on " + target + ": expected " + expected + ", got " + actual.get());
                        }
                    }
                }
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + probes + " cells differ:\n" + String.join("\n", mismatches));
        assertTrue(probes > 500, "walked " + probes + " cells");
    }

    @Test
    void auditLogListsOnlyRowsOfTheCallersCompanies() throws Exception {
        var r = t.call("GET", "/api/v1/audit-logs?limit=500", w.token(Profile.OWNER), null);
        assertEquals(200, r.status());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) r.body().get("items");
        assertTrue(!items.isEmpty(), "the fixture's own events are audited");
        for (Map<String, Object> item : items) {
            assertEquals(w.companyA.toString(), item.get("companyId"), "no row of another company leaks");
        }
    }

    /** The status domain.md implies, from the hand-written matrix. */
    static int expected(Profile p, Resource r, Action a, Target target) {
        Optional<Scope> grant = DomainMatrix.grant(p, r, a);
        // Assignments and new sales hang off a property: their visibility is the property's.
        boolean onProperty = r == ASSIGNMENT || (r == SALE && a == CREATE);
        Optional<Scope> read = DomainMatrix.grant(p, onProperty ? PROPERTY : r, READ);
        if (grant.isEmpty()) {
            return 403;
        }
        boolean creatingInCompany = a == CREATE && !onProperty;
        if (creatingInCompany) {
            return target == Target.B ? 403 : 201;
        }
        if (target == Target.B) {
            return 404;
        }
        boolean visible = read.isPresent() && (read.get() == Scope.CO || target == Target.OWN_A);
        if (!visible) {
            return 404;
        }
        if (grant.get() == Scope.OWN && target != Target.OWN_A) {
            return 403;
        }
        return success(r, a);
    }

    static int success(Resource r, Action a) {
        if (a == CREATE) {
            return 201;
        }
        if (a == DELETE && (r == AGENT || r == WEBHOOK || r == COMMISSION_RULE)) {
            return 204;
        }
        return 200;
    }

    static Map<Profile, String> emptyTokens() {
        return new EnumMap<>(Profile.class);
    }

    static UUID uuid(Object o) {
        return UUID.fromString(String.valueOf(o));
    }
}
