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
