package realty.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code scripts/invoke.sh <function> <event.json>}: invokes one Lambda handler class once with a
 * JSON event file (the same files {@code sam local invoke} takes, e.g. {@code events/rmq-audit_events.json}),
 * deserialized with AWS's own Lambda event serializers, and prints the result. The handler builds
 * its context from the environment exactly as in Lambda (DB_JDBC_URL, AMQP_URI, ...).
 */
public final class LocalInvoke {
    private LocalInvoke() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: invoke.sh <api|audit|commission|notification|relay|housekeeping> <event.json>");
            System.exit(2);
        }
        String function = args[0];
        byte[] json = Files.readAllBytes(Path.of(args[1]));
        LocalLambdaContext context = new LocalLambdaContext(function + "-function", 300_000);
        Object result = switch (function) {
            case "api" -> invoke(new realty.api.ApiFunction(), APIGatewayV2HTTPEvent.class, json, context);
            case "audit" -> invoke(new realty.audit.AuditFunction(), RabbitMQEvent.class, json, context);
            case "commission" -> invoke(new realty.commission.CommissionFunction(), RabbitMQEvent.class, json, context);
            case "notification" -> invoke(new realty.notification.NotificationFunction(), RabbitMQEvent.class, json, context);
            case "relay" -> invoke(new realty.api.outbox.OutboxRelayFunction(), ScheduledEvent.class, json, context);
            case "housekeeping" -> invoke(new realty.notification.HousekeepingFunction(), ScheduledEvent.class, json, context);
            default -> throw new IllegalArgumentException("unknown function " + function);
        };
        System.out.println(result == null ? "(no result: the batch was handled)" : render(result));
        System.exit(0);
    }

    private static <I, O> O invoke(RequestHandler<I, O> handler, Class<I> type, byte[] json, LocalLambdaContext context) {
        PojoSerializer<I> serializer = LambdaEventSerializers.serializerFor(type, LocalInvoke.class.getClassLoader());
        return handler.handleRequest(serializer.fromJson(new String(json, StandardCharsets.UTF_8)), context);
    }

    @SuppressWarnings("unchecked")
    private static String render(Object result) {
        PojoSerializer<Object> serializer = LambdaEventSerializers.serializerFor((Class<Object>) result.getClass(),
                LocalInvoke.class.getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
