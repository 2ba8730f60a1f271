package realty.api.company;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CnpjTest {
    @Test
    void validNumbersAreNormalisedToDigits() {
        assertEquals("11222333000181", Cnpj.normalize("11.222.333/0001-81"));
        assertEquals("11444777000161", Cnpj.normalize("11444777000161"));
    }

    @Test
    void wrongCheckDigitsLengthsAndRepeatedDigitsAreRefused() {
        assertNull(Cnpj.normalize("11.222.333/0001-82"));
        assertNull(Cnpj.normalize("1122233300018"));
        assertNull(Cnpj.normalize("00000000000000"));
        assertNull(Cnpj.normalize("abc"));
    }
}
