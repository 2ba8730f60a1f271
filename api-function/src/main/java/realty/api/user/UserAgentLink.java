package realty.api.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import realty.api.agent.AgentRepository;
import realty.api.agent.AgentView;
import realty.api.web.ProblemException;
import realty.api.web.SqlState;
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import realty.core.security.Profile;
import realty.core.tenancy.RowScope;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The agent records of users who hold the {@code agent} or {@code prospector} profile: one record
 * per company of the user, created or linked when the user gets the profile or the company, made
 * inactive (never deleted: properties, sales and commissions point at it) when they lose it, and
 * active again when they get it back. Runs inside the user's write transaction, so a conflict
 * leaves neither the user change nor any agent row behind (docs/accounts.md).
 */
@Singleton
public class UserAgentLink {
    private static final Set<Profile> AGENT_PROFILES = EnumSet.of(Profile.AGENT, Profile.PROSPECTOR);

    private final AgentRepository agents;

    public UserAgentLink(AgentRepository agents) {
        this.agents = agents;
    }

    /** A CPF or CRECI only makes sense for a user who gets an agent record: 400 otherwise, before anything is written. */
    static void requireAgentProfileFor(Set<Profile> profiles, @Nullable String cpf, @Nullable String creci) {
        if ((cpf != null || creci != null) && !holdsAgentProfile(profiles)) {
            String field = cpf != null ? "cpf" : "creci";
            throw ProblemException.badRequest(field + " applies only to users with the agent or prospector profile",
                    Map.of(field, "only for users with the agent or prospector profile"));
        }
    }

    /** A new user: an agent record in each of their companies when they hold an agent profile. */
    public void created(Caller caller, UUID userId, String name, Set<Profile> profiles, Set<UUID> companies,
                        @Nullable String cpf, @Nullable String creci) {
        if (!holdsAgentProfile(profiles)) {
            return;
        }
        RowScope scope = RowScope.of(caller);
        for (UUID company : companies) {
            attach(scope, company, userId, name, cpf, creci, true, true);
        }
    }

    /**
     * A changed user. Per company of the user, before and after: gaining the profile or the company
     * creates, links or reactivates the record; losing either deactivates it; keeping both leaves
     * its active flag as managers set it (a missing record is created) and applies a given CPF/CRECI.
     * Only companies of the caller's scope are touched; UserCompanyValidator has already refused a
     * profile or company change that reaches beyond it.
     */
    public void updated(Caller caller, UUID userId, String name, Set<Profile> profilesBefore, Set<Profile> profilesAfter,
                        Set<UUID> companiesBefore, Set<UUID> companiesAfter, @Nullable String cpf, @Nullable String creci) {
        RowScope scope = RowScope.of(caller);
        boolean was = holdsAgentProfile(profilesBefore);
        boolean is = holdsAgentProfile(profilesAfter);
        Set<UUID> involved = new TreeSet<>(companiesBefore);
        involved.addAll(companiesAfter);
        for (UUID company : involved) {
            if (!scope.allows(company)) {
                continue;
            }
            boolean had = was && companiesBefore.contains(company);
            boolean has = is && companiesAfter.contains(company);
            if (had && !has) {
                agents.findByUser(scope, company, userId).ifPresent(a -> agents.update(scope, a.id(), null, null, null, false));
            } else if (has) {
                attach(scope, company, userId, name, cpf, creci, !had, false);
            }
        }
    }

    private static boolean holdsAgentProfile(Set<Profile> profiles) {
        return profiles.stream().anyMatch(AGENT_PROFILES::contains);
    }

    /**
     * The user's record in one company: theirs if it exists, else an unlinked record of the company
     * with the same CPF (an agent registered before their user), else a new one named after the user.
     *
     * @param newUser the user was created in this transaction: no agent record can name them yet, so
     *                none is looked up
     */
    private void attach(RowScope scope, UUID company, UUID userId, String name, @Nullable String cpf, @Nullable String creci,
                        boolean activate, boolean newUser) {
        Optional<AgentView> own = newUser ? Optional.empty() : agents.findByUser(scope, company, userId);
        if (cpf != null) {
            Optional<AgentView> holder = agents.findByCpf(scope, company, cpf);
            if (holder.isPresent() && (own.isEmpty() || !holder.get().id().equals(own.get().id()))) {
                if (own.isEmpty() && holder.get().userId() == null && agents.link(scope, holder.get().id(), userId, creci) == 1) {
                    return;
                }
                throw cpfTaken(company);
            }
        }
        if (own.isPresent() && !activate && cpf == null && creci == null) {
            return; // kept: nothing to change
        }
        try {
            if (own.isPresent()) {
                agents.update(scope, own.get().id(), null, cpf, creci, activate ? Boolean.TRUE : null);
            } else {
                agents.insert(TimeOrderedIds.next(), company, userId, name, cpf, creci);
            }
        } catch (DataAccessException e) {
            // a concurrent request took the CPF (or linked the user) between the look-up and the write
            if (SqlState.UNIQUE_VIOLATION.of(e)) {
                throw ProblemException.conflict("an agent with this CPF or user already exists in company " + company, null);
            }
            throw e;
        }
    }

    private static ProblemException cpfTaken(UUID company) {
        return ProblemException.conflict("the CPF is already used by another agent of company " + company,
                Map.of("cpf", "already used by another agent of the company"));
    }
}
