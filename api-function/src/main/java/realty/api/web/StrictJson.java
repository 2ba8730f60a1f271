package realty.api.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.exceptions.SerdeException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Request bodies are read strictly (targets.md R7): a JSON value of the wrong type is an error
 * naming the field, never coerced ({@code "price": true} would otherwise be stored as 1.00 and
 * {@code "forSale": "yes"} as false), and no text may carry a NUL character, which PostgreSQL
 * cannot store in {@code text}. {@link ProblemErrorResponseProcessor} turns an {@link InvalidField}
 * into a 400 problem with the field in {@code errors}.
 *
 * <p>These replace micronaut-serde's lenient deserializers in the API's context only ({@link Order}
 * ahead of the built-in ones); the queue functions read events with the defaults. The field name
 * comes from {@link Deserializer#createSpecific}, which serde calls once per bean property.
 */
public final class StrictJson {
    private StrictJson() {
    }

    /** A request field whose JSON value was refused. */
    public static final class InvalidField extends SerdeException {
        private final String field;
        private final String reason;

        InvalidField(@Nullable String field, String reason) {
            super(field == null ? reason : field + ": " + reason);
            this.field = field;
            this.reason = reason;
        }

        public Optional<String> field() {
            return Optional.ofNullable(field);
        }

        public String reason() {
            return reason;
        }

        /** The first InvalidField in a cause chain. */
        public static Optional<InvalidField> in(@Nullable Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof InvalidField invalid) {
                    return Optional.of(invalid);
                }
            }
            return Optional.empty();
        }
    }

    /** Reads one JSON value as a tree and checks its type; bound to a property by createSpecific. */
    abstract static class Strict<T> implements Deserializer<T> {
        @Nullable
        final String field;

        Strict(@Nullable String field) {
            this.field = field;
        }

        abstract Strict<T> forField(String field);

        abstract T convert(JsonNode node) throws InvalidField;

        @Override
        public Deserializer<T> createSpecific(DecoderContext context, Argument<? super T> type) {
            String name = type.getName();
            return name == null || name.isEmpty() || name.equals(type.getType().getSimpleName()) ? this : forField(name);
        }

        @Override
        public T deserialize(Decoder decoder, DecoderContext context, Argument<? super T> type) throws IOException {
            return convert(decoder.decodeNode());
        }

        InvalidField invalid(String reason) {
            return new InvalidField(field, reason);
        }
    }

    /** A money amount: a JSON number, or a string holding a decimal number ("350000.00"). */
    @Singleton
    @Order(-100)
    public static class Decimal extends Strict<BigDecimal> {
        public Decimal() {
            this(null);
        }

        Decimal(@Nullable String field) {
            super(field);
        }

        @Override
        Strict<BigDecimal> forField(String field) {
            return new Decimal(field);
        }

        @Override
        BigDecimal convert(JsonNode node) throws InvalidField {
            if (node.isNumber()) {
                return new BigDecimal(node.getNumberValue().toString());
            }
            if (node.isString()) {
                try {
                    return new BigDecimal(node.getStringValue().trim());
                } catch (NumberFormatException e) {
                    throw invalid("expected a decimal number");
                }
            }
            throw invalid("expected a decimal number, got " + kind(node));
        }
    }

    /** Only JSON {@code true} and {@code false}. */
    @Singleton
    @Order(-100)
    public static class Flag extends Strict<Boolean> {
        public Flag() {
            this(null);
        }

        Flag(@Nullable String field) {
            super(field);
        }

        @Override
        Strict<Boolean> forField(String field) {
            return new Flag(field);
        }

        @Override
        Boolean convert(JsonNode node) throws InvalidField {
            if (!node.isBoolean()) {
                throw invalid("expected true or false, got " + kind(node));
            }
            return node.getBooleanValue();
        }
    }

    /** A whole number that fits an int: a JSON integer, nothing else. */
    @Singleton
    @Order(-100)
    public static class WholeNumber extends Strict<Integer> {
        public WholeNumber() {
            this(null);
        }

        WholeNumber(@Nullable String field) {
            super(field);
        }

        @Override
        Strict<Integer> forField(String field) {
            return new WholeNumber(field);
        }

        @Override
        Integer convert(JsonNode node) throws InvalidField {
            if (!node.isNumber()) {
                throw invalid("expected a whole number, got " + kind(node));
            }
            try {
                return new BigDecimal(node.getNumberValue().toString()).intValueExact();
            } catch (ArithmeticException e) {
                throw invalid("expected a whole number within range");
            }
        }
    }

    /** Only JSON strings, without NUL characters. */
    @Singleton
    @Order(-100)
    public static class Text extends Strict<String> {
        public Text() {
            this(null);
        }

        Text(@Nullable String field) {
            super(field);
        }

        @Override
        Strict<String> forField(String field) {
            return new Text(field);
        }

        @Override
        String convert(JsonNode node) throws InvalidField {
            if (!node.isString()) {
                throw invalid("expected a string, got " + kind(node));
            }
            String text = node.getStringValue();
            if (text.indexOf('\0') >= 0) {
                throw invalid("must not contain NUL characters");
            }
            return text;
        }
    }

    private static String kind(JsonNode node) {
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return "null";
    }
}
