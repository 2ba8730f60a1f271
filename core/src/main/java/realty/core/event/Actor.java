package realty.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Who caused an event: a user ({@code userId}, {@code profiles}) or a function ({@code system}).
 * {@code sourceIp} and {@code userAgent} travel so that the LGPD audit log can record them.
 */
@Serdeable
public record Actor(@Nullable String userId,
                    @Nullable List<String> profiles,
                    @Nullable String system,
                    @Nullable String sourceIp,
                    @Nullable String userAgent) {

    public static Actor system(String function) {
        return new Actor(null, null, function, null, null);
    }
}
