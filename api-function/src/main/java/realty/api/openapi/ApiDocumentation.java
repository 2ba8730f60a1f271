package realty.api.openapi;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * What the OpenAPI document says about the API as a whole: its title, the conventions of
 * spec/api.md and the bearer scheme. The processor puts the scheme on every operation whose
 * {@code @Secured} is not anonymous. Read at compile time (docs/api.md); nothing here runs.
 */
@OpenAPIDefinition(
        info = @Info(
                title = "Realty API",
                version = "v1",
                description = """
                        The HTTP API of the multi-tenant real-estate backend (all paths under `/api/v1`, `GET /health` aside).

                        - **Auth**: `POST /api/v1/auth/login` gives a bearer JWT; send it as `Authorization: Bearer <token>`.
                          A missing, invalid, expired or tampered token answers 401.
                        - **Errors**: `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail` and,
                          for invalid input, `errors` (field → message). 404 also means *outside the caller's companies*.
                        - **Events**: a write that emits events lists them in its answer
                          (`"events": [{"id": "…", "type": "user.created", "status": "PENDING"}]`).
                        - **Lists**: `?limit=` (default 50, at most 500) and `?cursor=` (the previous page's `nextCursor`);
                          the answer is `{"items": […], "nextCursor": …}`, no cursor on the last page.
                        - Every response carries `X-Request-Id` (taken from the request or generated), the events' `correlationId`.
                        """))
@SecurityScheme(name = ApiDocumentation.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The `access_token` of `POST /api/v1/auth/login`.")
public final class ApiDocumentation {
    /** The name of the security scheme in the document. */
    public static final String BEARER = "bearer";

    private ApiDocumentation() {
    }
}
