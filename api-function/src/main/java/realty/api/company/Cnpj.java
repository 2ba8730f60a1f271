package realty.api.company;

/** Brazilian company registry number: 14 digits, the last two being mod-11 check digits. */
public final class Cnpj {
    private static final int[] W1 = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
    private static final int[] W2 = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};

    private Cnpj() {
    }

    /** Digits only, or null when {@code raw} (punctuation allowed) is not a valid CNPJ. */
    public static String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String d = raw.replaceAll("[.\\-/\\s]", "");
        if (!d.matches("\\d{14}") || d.chars().distinct().count() == 1) {
            return null;
        }
        return digit(d, W1) == d.charAt(12) - '0' && digit(d, W2) == d.charAt(13) - '0' ? d : null;
    }

    private static int digit(String d, int[] weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += (d.charAt(i) - '0') * weights[i];
        }
        int r = sum % 11;
        return r < 2 ? 0 : 11 - r;
    }
}
