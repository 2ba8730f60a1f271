package realty.api.web;

import io.micronaut.http.HttpRequest;

import java.util.regex.Pattern;

/**
 * A request's path as logs and audit rows may show it: the secret last segment of a link endpoint
 * ({@code /auth/password-reset/{token}}, {@code /auth/invitations/{token}}) becomes {@code {token}}.
 */
public final class LoggablePath {
    private static final Pattern SECRET_SEGMENT = Pattern.compile("^(/api/v1/auth/(?:password-reset|invitations))/[^/]+");

    private LoggablePath() {
    }

    public static String of(HttpRequest<?> request) {
        return redact(request.getPath());
    }

    public static String redact(String path) {
        return SECRET_SEGMENT.matcher(path).replaceFirst("$1/{token}");
    }
}
