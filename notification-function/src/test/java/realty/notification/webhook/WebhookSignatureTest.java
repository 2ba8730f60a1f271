package realty.notification.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class WebhookSignatureTest {

    @Test
    void signatureIsHexHmacSha256OfTimestampDotBody() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
        assertEquals("sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789",
                WebhookSignature.sign("whsec_test", "1700000000", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theTimestampIsPartOfWhatIsSigned() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(WebhookSignature.sign("k", "1", body), WebhookSignature.sign("k", "2", body));
    }
}
