package realty.api.property;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.core.security.Profile;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Sync observer of {@code property.before_create}: a prospector who creates a property without
 * naming a prospector becomes its prospector (through their agent record in that company).
 */
@Singleton
public class ProspectorAutoAssign implements ApplicationEventListener<PropertyBeforeCreate> {

    @Override
    public void onApplicationEvent(PropertyBeforeCreate event) {
        PropertyInput input = event.input();
        if (!event.caller().has(Profile.PROSPECTOR) || input.prospectorId() != null) {
            return;
        }
        try (PreparedStatement ps = event.connection().prepareStatement(
                "SELECT id FROM agents WHERE user_id = ? AND company_id = ? AND active")) {
            ps.setObject(1, event.caller().userId());
            ps.setObject(2, input.companyId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Business rule violated",
                            "a prospector needs an active agent record in the company to be assigned as prospector", null);
                }
                event.input(input.withProspector(rs.getObject(1, UUID.class)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
