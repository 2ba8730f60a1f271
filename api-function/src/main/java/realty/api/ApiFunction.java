package realty.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import realty.core.config.FunctionContexts;
import realty.core.observability.EventMetrics;

/**
 * Lambda handler behind API Gateway (HTTP API, payload format 2.0). The local gateway hands the
 * same class the same events.
 */
public class ApiFunction extends APIGatewayV2HTTPEventFunction {
    public static final String FUNCTION = "api";

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
            return super.handleRequest(input, context);
        } finally {
            // The invocation ends here: its metrics (events published) go out as one EMF record.
            applicationContext.getBean(EventMetrics.class).flush();
        }
    }
}
