package realty.api.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

@Controller("/api/v1/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Users", description = "Users of the agencies and their profiles.")
@ApiErrors.Authenticated
public class UserController {
    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    @Post
    @Operation(operationId = "createUser", summary = "Create a user",
            description = "Who may create which profiles: spec/domain.md 2.1 (owner any; director and manager staff; agents portal users). The profiles and companies are checked by UserCompanyValidator first.")
    @ApiResponse(responseCode = "201", description = "The user", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.Conflict
    @ApiErrors.BusinessRule
    public HttpResponse<UserView> create(Caller caller, @Body @Valid CreateUserRequest body, HttpRequest<?> request) {
        return HttpResponse.created(users.create(caller, body, RequestInfo.of(request)));
    }

    @Get
    @Operation(operationId = "listUsers", summary = "List users",
            description = "Users of the caller's companies.")
    @ApiErrors.Invalid
    public Page<UserView> list(Caller caller, @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return users.list(caller, PageRequest.of(limit, cursor));
    }

    @Get("/{id}")
    @Operation(operationId = "getUser", summary = "Get a user")
    @ApiErrors.NotFound
    public UserView get(Caller caller, @PathVariable UUID id) {
        return users.get(caller, id);
    }

    @Patch("/{id}")
    @Operation(operationId = "updateUser", summary = "Update a user",
            description = "Name, password, profiles, companies, active. Changing profiles, companies or active runs the validator; a company must keep an active owner (422).")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    @ApiErrors.BusinessRule
    public UserView update(Caller caller, @PathVariable UUID id, @Body @Valid UpdateUserRequest body, HttpRequest<?> request) {
        return users.update(caller, id, body, RequestInfo.of(request));
    }
}
