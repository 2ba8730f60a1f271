package realty.api.user;

import io.micronaut.context.event.ApplicationEventListener;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.security.Profile;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Sync observer of {@code user.before_create} (spec/domain.md §2.1): nobody grants a profile they
 * could not create, or a company they do not belong to.
 */
@Singleton
public class UserCompanyValidator implements ApplicationEventListener<UserBeforeCreate> {
    /** Listens to {@code user.before_update} too; a nested bean because one class cannot implement the generic interface twice. */
    @Singleton
    public static class OnUpdate implements ApplicationEventListener<UserBeforeUpdate> {
        private final UserCompanyValidator validator;

        public OnUpdate(UserCompanyValidator validator) {
            this.validator = validator;
        }

        @Override
        public void onApplicationEvent(UserBeforeUpdate event) {
            validator.checkUpdate(event);
        }
    }

    private static final Set<Profile> STAFF = EnumSet.of(Profile.AGENT, Profile.PROSPECTOR, Profile.RECEPTIONIST,
            Profile.FINANCIAL, Profile.LEGAL, Profile.PORTAL);

    @Override
    public void onApplicationEvent(UserBeforeCreate event) {
        check(event.caller(), event.profiles(), event.companyIds());
    }

    /** Throws 403 unless {@code caller} may give {@code profiles} in {@code companies}. */
    public void check(Caller caller, Set<Profile> profiles, Set<UUID> companies) {
        if (caller.platformAdmin()) {
            return;
        }
        Set<UUID> foreign = companies.stream().filter(c -> !caller.companyIds().contains(c)).collect(Collectors.toSet());
        if (!foreign.isEmpty()) {
            throw ProblemException.multiTenancyViolation("you do not belong to company " + foreign.iterator().next());
        }
        Set<Profile> grantable = grantableBy(caller);
        if (grantable.isEmpty()) {
            throw ProblemException.forbidden("your profiles may not create users");
        }
        Set<Profile> refused = EnumSet.noneOf(Profile.class);
        refused.addAll(profiles);
        refused.removeAll(grantable);
        if (!refused.isEmpty()) {
            throw ProblemException.forbidden("you may not grant the profile(s) "
                    + refused.stream().map(Profile::code).sorted().collect(Collectors.joining(", ")));
        }
    }

    /**
     * A change may only grant or withdraw what the caller could grant, in companies the caller
     * belongs to, and nobody changes their own profiles, companies or active flag.
     */
    public void checkUpdate(UserBeforeUpdate e) {
        Caller caller = e.caller();
        boolean authorityChanges = !e.profilesBefore().equals(e.profilesAfter()) || !e.companiesBefore().equals(e.companiesAfter())
                || e.activeBefore() != e.activeAfter();
        if (!authorityChanges) {
            return;
        }
        if (e.userId().equals(caller.userId())) {
            throw ProblemException.forbidden("you may not change your own profiles, companies or active flag");
        }
        if (caller.platformAdmin()) {
            return;
        }
        Set<UUID> touched = new java.util.HashSet<>(e.companiesBefore());
        touched.addAll(e.companiesAfter());
        Set<UUID> common = new java.util.HashSet<>(e.companiesBefore());
        common.retainAll(e.companiesAfter());
        touched.removeAll(common);
        if (e.activeBefore() != e.activeAfter() || !e.profilesBefore().equals(e.profilesAfter())) {
            touched.addAll(e.companiesAfter());
        }
        Set<UUID> foreign = touched.stream().filter(c -> !caller.companyIds().contains(c)).collect(Collectors.toSet());
        if (!foreign.isEmpty()) {
            throw ProblemException.multiTenancyViolation("you do not belong to company " + foreign.iterator().next());
        }
        Set<Profile> changed = EnumSet.noneOf(Profile.class);
        changed.addAll(e.profilesAfter());
        changed.addAll(e.profilesBefore());
        Set<Profile> kept = EnumSet.noneOf(Profile.class);
        kept.addAll(e.profilesBefore());
        kept.retainAll(e.profilesAfter());
        changed.removeAll(kept);
        if (e.activeBefore() != e.activeAfter() || !e.companiesBefore().equals(e.companiesAfter())) {
            changed.addAll(e.profilesAfter()); // moving or (de)activating a user wields all of their profiles
        }
        changed.removeAll(grantableBy(caller));
        if (!changed.isEmpty()) {
            throw ProblemException.forbidden("you may not grant or withdraw the profile(s) "
                    + changed.stream().map(Profile::code).sorted().collect(Collectors.joining(", ")));
        }
    }

    /** The union of what each of the caller's profiles may create. */
    public static Set<Profile> grantableBy(Caller caller) {
        if (caller.platformAdmin() || caller.has(Profile.OWNER)) {
            return EnumSet.allOf(Profile.class);
        }
        Set<Profile> out = EnumSet.noneOf(Profile.class);
        if (caller.has(Profile.DIRECTOR) || caller.has(Profile.MANAGER)) {
            out.addAll(STAFF);
        }
        if (caller.has(Profile.AGENT)) {
            out.add(Profile.PORTAL);
        }
        return out;
    }
}
