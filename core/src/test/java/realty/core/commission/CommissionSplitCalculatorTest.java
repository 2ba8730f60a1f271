package realty.core.commission;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static realty.core.commission.CommissionSplit.Role.AGENT;
import static realty.core.commission.CommissionSplit.Role.PROSPECTOR;

/** The worked examples of domain.md §4, and properties that hold for any input. */
class CommissionSplitCalculatorTest {
    private static final UUID AGENT_ID = UUID.randomUUID();
    private static final UUID PROSPECTOR_ID = UUID.randomUUID();
    private static final LocalDate DAY = LocalDate.of(2024, 6, 1);

    @Test
    void sixPercentOfHalfAMillionWithThirtyPercentProspectorShare() {
        CommissionSplit s = split("500000.00", percentage("6"), "30");
        assertEquals(d("30000.00"), s.total());
        assertEquals(d("21000.00"), amount(s, AGENT));
        assertEquals(d("9000.00"), amount(s, PROSPECTOR));
    }

    @Test
    void fortyPercentProspectorShare() {
        CommissionSplit s = split("500000.00", percentage("6"), "40");
        assertEquals(d("18000.00"), amount(s, AGENT));
        assertEquals(d("12000.00"), amount(s, PROSPECTOR));
    }

    @Test
    void fixedAmountRule() {
        CommissionSplit s = split("500000.00", fixed("15000.00"), "30");
        assertEquals(d("15000.00"), s.total());
        assertEquals(d("10500.00"), amount(s, AGENT));
        assertEquals(d("4500.00"), amount(s, PROSPECTOR));
    }

    @Test
    void zeroProspectorShareGivesEverythingToTheAgent() {
        CommissionSplit s = split("500000.00", percentage("6"), "0");
        assertEquals(1, s.parts().size());
        assertEquals(d("30000.00"), amount(s, AGENT));
    }

    @Test
    void roundingIsHalfEvenAndThePartsStillSumToTheTotal() {
        CommissionSplit s = split("333333.33", percentage("5"), "30");
        assertEquals(d("16666.67"), s.total(), "16,666.6665 rounds half-even to 16,666.67");
        assertEquals(d("5000.00"), amount(s, PROSPECTOR), "5,000.001 rounds to 5,000.00");
        assertEquals(d("11666.67"), amount(s, AGENT));
    }

    @Test
    void halfCentsRoundToTheEvenCent() {
        // 0.125 → 0.12 and 0.135 → 0.14: HALF_EVEN, not HALF_UP
        assertEquals(d("0.12"), CommissionSplitCalculator.percentOf(d("12.50"), d("1")));
        assertEquals(d("0.14"), CommissionSplitCalculator.percentOf(d("13.50"), d("1")));
    }

    @Test
    void noProspectorOrAProspectorWhoIsTheSellingAgentGivesEverythingToTheAgent() {
        CommissionRule rule = percentage("6");
        for (UUID prospector : new UUID[]{null, AGENT_ID}) {
            CommissionSplit s = CommissionSplitCalculator.split(d("500000.00"), rule, AGENT_ID, prospector, d("30"));
            assertEquals(1, s.parts().size());
            assertEquals(AGENT, s.parts().get(0).role());
            assertEquals(d("30000.00"), s.parts().get(0).amount());
            assertEquals(new BigDecimal("100.00"), s.parts().get(0).percentageApplied());
        }
    }

    @Test
    void aCommissionAboveHalfThePriceIsRejectedAsAMisconfiguredRule() {
        assertThrows(CommissionAboveLimitException.class, () -> split("100000.00", percentage("50.01"), "30"));
        assertThrows(CommissionAboveLimitException.class, () -> split("10000.00", fixed("5000.01"), "30"));
        assertEquals(d("5000.00"), split("10000.00", fixed("5000.00"), "30").total(), "exactly half is allowed");
    }

    @Test
    void theNewestValidRuleCoveringThePriceAndDateApplies() {
        CommissionRule old = rule(CommissionRule.Structure.PERCENTAGE, d("5"), null, LocalDate.of(2020, 1, 1), null, d("0"), null);
        CommissionRule newer = rule(CommissionRule.Structure.PERCENTAGE, d("6"), null, LocalDate.of(2024, 1, 1), null, d("0"), null);
        CommissionRule future = rule(CommissionRule.Structure.PERCENTAGE, d("7"), null, LocalDate.of(2025, 1, 1), null, d("0"), null);
        CommissionRule expired = rule(CommissionRule.Structure.PERCENTAGE, d("8"), null, LocalDate.of(2024, 2, 1),
                LocalDate.of(2024, 5, 31), d("0"), null);
        CommissionRule tooCheap = rule(CommissionRule.Structure.PERCENTAGE, d("9"), null, LocalDate.of(2024, 3, 1), null,
                d("0"), d("100000.00"));
        List<CommissionRule> rules = List.of(old, newer, future, expired, tooCheap);

        assertEquals(newer, CommissionSplitCalculator.applicableRule(rules, AGENT_ID, d("500000.00"), DAY).orElseThrow());
        assertEquals(tooCheap, CommissionSplitCalculator.applicableRule(rules, AGENT_ID, d("100000.00"), DAY).orElseThrow(),
                "max is inclusive");
        assertEquals(expired, CommissionSplitCalculator.applicableRule(rules, AGENT_ID, d("500000.00"),
                LocalDate.of(2024, 5, 31)).orElseThrow(), "valid_until is inclusive");
        assertTrue(CommissionSplitCalculator.applicableRule(rules, UUID.randomUUID(), d("500000.00"), DAY).isEmpty(),
                "another agent's rules never apply");
        assertTrue(CommissionSplitCalculator.applicableRule(rules, AGENT_ID, d("500000.00"), LocalDate.of(2019, 12, 31)).isEmpty());
    }

    @Test
    void inactiveAndRentalRulesNeverPriceASale() {
        CommissionRule inactive = new CommissionRule(UUID.randomUUID(), UUID.randomUUID(), AGENT_ID,
                CommissionRule.TransactionType.SALE, CommissionRule.Structure.PERCENTAGE, d("5"), null, d("0"), null,
                LocalDate.of(2020, 1, 1), null, false, 1);
        CommissionRule rental = new CommissionRule(UUID.randomUUID(), UUID.randomUUID(), AGENT_ID,
                CommissionRule.TransactionType.RENTAL, CommissionRule.Structure.PERCENTAGE, d("5"), null, d("0"), null,
                LocalDate.of(2020, 1, 1), null, true, 1);
        assertTrue(CommissionSplitCalculator.applicableRule(List.of(inactive, rental), AGENT_ID, d("1000.00"), DAY).isEmpty());
    }

    /** Properties over generated inputs: a seeded loop, so a failure reproduces. */
    @Test
    void forAnyInputThePartsSumToTheTotalAreNeverNegativeAndFollowTheShare() {
        Random random = new Random(20240601L);
        for (int i = 0; i < 20_000; i++) {
            BigDecimal price = BigDecimal.valueOf(random.nextLong(1, 10_000_000_000L), 2); // 0.01 – 100,000,000.00
            CommissionRule rule = random.nextBoolean()
                    ? percentage(BigDecimal.valueOf(random.nextInt(500_001), 4).toPlainString()) // 0–50 %, 4 decimals
                    : fixed(BigDecimal.valueOf(random.nextLong(0, price.unscaledValue().longValue() / 2 + 1), 2).toPlainString());
            BigDecimal share = BigDecimal.valueOf(random.nextInt(10_001), 2); // 0–100 %, 2 decimals
            UUID prospector = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> AGENT_ID;
                default -> PROSPECTOR_ID;
            };
            String input = "price " + price + ", rule " + rule.snapshot() + ", share " + share + ", prospector " + prospector;

            CommissionSplit s = CommissionSplitCalculator.split(price, rule, AGENT_ID, prospector, share);

            BigDecimal sum = s.parts().stream().map(CommissionSplit.Part::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(s.total(), sum, "parts sum to the total: " + input);
            assertTrue(s.total().compareTo(price.divide(BigDecimal.valueOf(2))) <= 0, "at most half the price: " + input);
            for (CommissionSplit.Part p : s.parts()) {
                assertTrue(p.amount().signum() >= 0, "never negative: " + input);
                assertEquals(2, p.amount().scale(), "cents: " + input);
            }
            if (prospector == null || prospector.equals(AGENT_ID)) {
                assertEquals(1, s.parts().size(), input);
                assertEquals(AGENT, s.parts().get(0).role(), input);
                assertEquals(s.total(), s.parts().get(0).amount(), "all to the agent: " + input);
            } else {
                BigDecimal expected = CommissionSplitCalculator.percentOf(s.total(), share);
                BigDecimal prospectorPart = s.parts().stream().filter(p -> p.role() == PROSPECTOR)
                        .map(CommissionSplit.Part::amount).findFirst().orElse(BigDecimal.ZERO.setScale(2));
                assertEquals(expected, prospectorPart, "prospector gets round(total × p / 100): " + input);
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static CommissionSplit split(String price, CommissionRule rule, String share) {
        return CommissionSplitCalculator.split(d(price), rule, AGENT_ID, PROSPECTOR_ID, d(share));
    }

    private static BigDecimal amount(CommissionSplit s, CommissionSplit.Role role) {
        return s.parts().stream().filter(p -> p.role() == role).findFirst().orElseThrow().amount();
    }

    private static CommissionRule percentage(String percent) {
        return rule(CommissionRule.Structure.PERCENTAGE, d(percent), null, LocalDate.of(2020, 1, 1), null, d("0"), null);
    }

    private static CommissionRule fixed(String amount) {
        return rule(CommissionRule.Structure.FIXED, null, d(amount), LocalDate.of(2020, 1, 1), null, d("0"), null);
    }

    private static CommissionRule rule(CommissionRule.Structure structure, BigDecimal percentage, BigDecimal fixed,
                                       LocalDate from, LocalDate until, BigDecimal min, BigDecimal max) {
        return new CommissionRule(UUID.randomUUID(), UUID.randomUUID(), AGENT_ID, CommissionRule.TransactionType.BOTH,
                structure, percentage, fixed, min, max, from, until, true, 1);
    }

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }
}
