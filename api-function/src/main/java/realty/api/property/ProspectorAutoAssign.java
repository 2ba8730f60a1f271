package realty.api.property;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.core.security.Profile;

import realty.core.tenancy.RowScope;

import java.util.UUID;

/**
 * Sync observer of {@code property.before_create}: a prospector who creates a property without
 * naming a prospector becomes its prospector (through their agent record in that company).
 */
@Singleton
public class ProspectorAutoAssign implements ApplicationEventListener<PropertyBeforeCreate> {
    private final PropertyRepository properties;

    public ProspectorAutoAssign(PropertyRepository properties) {
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(PropertyBeforeCreate event) {
        PropertyInput input = event.input();
        if (!event.caller().has(Profile.PROSPECTOR) || input.prospectorId() != null) {
            return;
        }
        // runs inside the create's transaction: the repository joins it
        UUID agent = properties.activeAgentOf(RowScope.of(event.caller()), event.caller().userId(), input.companyId())
                .orElseThrow(() -> new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Business rule violated",
                        "a prospector needs an active agent record in the company to be assigned as prospector", null));
        event.input(input.withProspector(agent));
    }
}
