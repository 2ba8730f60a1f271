package realty.core.consumer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RabbitMQEventDecoderTest {

    @Test
    void lambdaByteArrayHeadersBecomeStringsAndNumbersStayNumbers() {
        List<Object> bytes = new ArrayList<>();
        for (byte b : "5s".getBytes(StandardCharsets.UTF_8)) {
            bytes.add((int) b);
        }
        assertEquals("5s", RabbitMQEventDecoder.headerValue(Map.of("bytes", bytes)));
        assertEquals(3, RabbitMQEventDecoder.headerValue(3));
    }

    @Test
    void theAttemptHeaderDefaultsToTheFirstTry() {
        ReceivedMessage none = new ReceivedMessage("q", "m", "t", 0, null, Map.of(), new byte[0], false, null, null);
        ReceivedMessage third = new ReceivedMessage("q", "m", "t", 0, null, Map.of("x-attempt", 3), new byte[0], false, null, null);
        ReceivedMessage text = new ReceivedMessage("q", "m", "t", 0, null, Map.of("x-attempt", "2"), new byte[0], false, null, null);
        assertEquals(1, none.attempt());
        assertEquals(3, third.attempt());
        assertEquals(2, text.attempt());
    }
}
