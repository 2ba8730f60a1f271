package realty.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.core.type.Argument;
import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import realty.api.web.UnreachableDatabase;
import realty.core.config.FunctionContexts;
import realty.core.observability.EventMetrics;

import java.sql.Connection;
import java.util.Map;

/**
 * Lambda handler behind API Gateway (HTTP API, payload format 2.0). The local gateway hands the
 * same class the same events.
 */
public class ApiFunction extends APIGatewayV2HTTPEventFunction {
    public static final String FUNCTION = "api";
    private volatile ConnectionOperations<Connection> connections;

    public ApiFunction() {
        super();
    }

    public ApiFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.configure(super.newApplicationContextBuilder(), FUNCTION);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent input, Context context) {
        try {
            return authenticated(input) ? onOneConnection(input, context) : super.handleRequest(input, context);
        } finally {
            // The invocation ends here: its metrics (events published) go out as one EMF record.
            applicationContext.getBean(EventMetrics.class).flush();
        }
    }

    /**
     * Runs the request on one pooled connection, bound for its whole duration: resolving the caller
     * (CallerResolver), the write's transaction and marking its events published all take it instead
     * of a connection each (Micronaut Data's transactions reuse a connection already bound, with the
     * default propagation). Without this a write took the pool three times, and under load requests
     * queued on the pool between the steps. If no connection can be had because the database is
     * unreachable, the request runs unbound with that failure remembered ({@link UnreachableDatabase}):
     * it answers 503 after one connection timeout, not a second one spent resolving the caller. Any
     * other failure to bind leaves the request to run unbound as before.
     */
    private APIGatewayV2HTTPResponse onOneConnection(APIGatewayV2HTTPEvent input, Context context) {
        boolean[] bound = {false};
        try {
            return connections().execute(ConnectionDefinition.DEFAULT, status -> {
                bound[0] = true;
                return super.handleRequest(input, context);
            });
        } catch (RuntimeException e) {
            if (bound[0]) {
                throw e;
            }
            if (!UnreachableDatabase.isCause(e)) {
                return super.handleRequest(input, context);
            }
            try (PropagatedContext.Scope ignored = PropagatedContext.getOrEmpty().plus(new UnreachableDatabase(e)).propagate()) {
                return super.handleRequest(input, context);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private ConnectionOperations<Connection> connections() {
        ConnectionOperations<Connection> c = connections;
        if (c == null) {
            connections = c = applicationContext.getBean(Argument.of(ConnectionOperations.class, Connection.class));
        }
        return c;
    }

    /** Requests with a token resolve their caller from the database; the others (health, login, documents) may not touch it. */
    private static boolean authenticated(APIGatewayV2HTTPEvent input) {
        Map<String, String> headers = input.getHeaders();
        if (headers == null) {
            return false;
        }
        for (String name : headers.keySet()) {
            if ("authorization".equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
