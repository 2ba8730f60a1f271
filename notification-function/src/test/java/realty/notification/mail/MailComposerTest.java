package realty.notification.mail;

import org.junit.jupiter.api.Test;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which mails each notified event causes, for the payload shapes producers may send; no database. */
class MailComposerTest {
    private static final UUID COMPANY = UUID.randomUUID();
    private static final UUID AGENT = UUID.randomUUID();
    private static final UUID PROSPECTOR = UUID.randomUUID();
    private static final UUID FINANCIAL = UUID.randomUUID();
    private final Directory directory = new Directory();
    private final MailComposer composer = new MailComposer(directory, new MailTemplates());

    /** The company's people, as the database would answer. */
    static final class Directory extends Recipients {
        final Map<UUID, Recipient> users = new HashMap<>();
        final Map<UUID, Recipient> agentUsers = new HashMap<>();

        Directory() {
            super(null, null);
            Recipient ana = new Recipient(UUID.randomUUID(), "ana@x.dev", "Ana", MailLocale.PT_BR);
            Recipient bob = new Recipient(UUID.randomUUID(), "bob@x.dev", "Bob", MailLocale.EN);
            agentUsers.put(AGENT, ana);
            agentUsers.put(PROSPECTOR, bob);
            users.put(ana.userId(), ana);
            users.put(bob.userId(), bob);
            users.put(FINANCIAL, new Recipient(FINANCIAL, "fin@x.dev", "Fin", MailLocale.EN));
        }

        @Override
        public List<Recipient> users(Connection c, UUID companyId, Collection<UUID> userIds) {
            return userIds.stream().filter(users::containsKey).map(users::get).toList();
        }

        @Override
        public Map<UUID, Recipient> usersOfAgents(Connection c, UUID companyId, Collection<UUID> agentIds) {
            Map<UUID, Recipient> out = new LinkedHashMap<>();
            agentIds.stream().filter(agentUsers::containsKey).forEach(a -> out.put(a, agentUsers.get(a)));
            return out;
        }

        @Override
        public List<Recipient> withProfile(Connection c, UUID companyId, String profile) {
            return List.of(users.get(FINANCIAL));
        }

        @Override
        public Optional<String> agentName(Connection c, UUID companyId, UUID agentId) {
            return Optional.of("Ana Agent");
        }

        @Override
        public Optional<String> property(Connection c, UUID companyId, UUID propertyId) {
            return Optional.of("Casa na praia (REF-7)");
        }

        @Override
        public Optional<String> companyName(Connection c, UUID companyId) {
            return Optional.of("Demo Imóveis");
        }
    }

    @Test
    void userCreatedWelcomesTheNewUserFromTheEventWhenTheDatabaseDoesNotKnowThem() throws Exception {
        List<ComposedMail> mails = compose(EventType.USER_CREATED, Map.of("userId", UUID.randomUUID().toString(),
                "email", "new@x.dev", "name", "Nova", "locale", "en"));

        assertEquals(1, mails.size());
        assertEquals("new@x.dev", mails.get(0).to());
        assertEquals(MailLocale.EN, mails.get(0).locale());
        assertEquals("Welcome to Demo Imóveis", mails.get(0).subject());
    }

    @Test
    void userCreatedWithoutUserOrEmailIsAPermanentFailureNamingTheField() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> compose(EventType.USER_CREATED, Map.of("name", "x")));
        assertTrue(e.getMessage().contains("user.created payload has no") && e.getMessage().contains("email"), e.getMessage());
    }

    @Test
    void assignmentGoesToTheAgentsUserInTheirLanguage() throws Exception {
        List<ComposedMail> mails = compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, Map.of("agentId", AGENT.toString(),
                "propertyId", UUID.randomUUID().toString(), "responsibility", "secondary", "change", "added"));

        assertEquals(1, mails.size());
        assertEquals("ana@x.dev", mails.get(0).to());
        assertEquals("Novo imóvel atribuído a você: Casa na praia (REF-7)", mails.get(0).subject());
        assertTrue(mails.get(0).body().contains("responsabilidade secundária"), mails.get(0).body());
    }

    @Test
    void anEndedAssignmentSaysSo() throws Exception {
        List<ComposedMail> mails = compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, Map.of("agentId", PROSPECTOR.toString(),
                "title", "Flat", "active", false));
        assertEquals("Assignment ended: Flat", mails.get(0).subject());
    }

    @Test
    void anAgentWithoutUserAccountGetsNoMailAndThatIsNoFailure() throws Exception {
        assertEquals(List.of(), compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, Map.of("agentId", UUID.randomUUID().toString(),
                "title", "Flat")));
    }

    @Test
    void assignmentWithoutAgentIsAPermanentFailure() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, Map.of("propertyId", UUID.randomUUID().toString())));
        assertTrue(e.getMessage().contains("agentId"), e.getMessage());
    }

    @Test
    void importCompletedGoesToTheImportingActorWithTheCount() throws Exception {
        UUID importer = directory.agentUsers.get(PROSPECTOR).userId();
        EventEnvelope e = new EventEnvelope(UUID.randomUUID(), "properties.imported", 1, java.time.Instant.now(), COMPANY,
                new Actor(importer.toString(), List.of("manager"), null, null, null), "req", null,
                new AggregateRef("import", "x"), Map.of("ids", List.of("a", "b", "c")));

        List<ComposedMail> mails = composer.compose(e, null);

        assertEquals(1, mails.size());
        assertEquals("Import completed: 3 properties", mails.get(0).subject());
    }

    @Test
    void importWithoutCountIsAPermanentFailure() {
        assertThrows(PermanentFailureException.class, () -> compose(EventType.PROPERTIES_IMPORTED,
                Map.of("importedBy", FINANCIAL.toString())));
    }

    @Test
    void commissionCalculatedMailsEachAgentAndProspectorTheirOwnAmount() throws Exception {
        List<ComposedMail> mails = compose(EventType.COMMISSION_CALCULATED, Map.of("saleId", UUID.randomUUID().toString(),
                "propertyTitle", "Casa", "transactions", List.of(
                        Map.of("agentId", AGENT.toString(), "role", "agent", "amount", "21000.00"),
                        Map.of("agentId", PROSPECTOR.toString(), "role", "prospector", "amount", 9000))));

        assertEquals(2, mails.size());
        ComposedMail ana = mails.get(0);
        ComposedMail bob = mails.get(1);
        assertEquals("Comissão calculada: R$ 21.000,00", ana.subject());
        assertTrue(ana.body().contains("como corretor(a) na venda Casa"), ana.body());
        assertEquals("Commission calculated: R$9,000.00", bob.subject());
        assertTrue(bob.body().contains("as prospector"), bob.body());
    }

    @Test
    void commissionPaidReadsATopLevelTransaction() throws Exception {
        List<ComposedMail> mails = compose(EventType.COMMISSION_PAID, Map.of("transactionId", UUID.randomUUID().toString(),
                "agentId", AGENT.toString(), "role", "agent", "amount", "1500.5", "saleId", "0123456789"));
        assertEquals("Comissão paga: R$ 1.500,50", mails.get(0).subject());
        assertTrue(mails.get(0).body().contains("venda 01234567"), mails.get(0).body());
    }

    @Test
    void commissionWithoutAnyAgentIsAPermanentFailure() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> compose(EventType.COMMISSION_CANCELLED, Map.of("amount", "1")));
        assertTrue(e.getMessage().contains("commission.cancelled payload has no agentId"), e.getMessage());
    }

    @Test
    void noApplicableRuleGoesToTheListedRecipients() throws Exception {
        List<ComposedMail> mails = compose(EventType.COMMISSION_CALCULATED, Map.of("status", "no_applicable_rule",
                "saleId", UUID.randomUUID().toString(), "agentId", AGENT.toString(), "salePrice", "500000",
                "recipients", List.of(FINANCIAL.toString())));

        assertEquals(1, mails.size());
        assertEquals("fin@x.dev", mails.get(0).to());
        assertTrue(mails.get(0).subject().startsWith("Sale without an applicable commission rule"), mails.get(0).subject());
        assertTrue(mails.get(0).body().contains("(R$500,000.00) by agent Ana Agent"), mails.get(0).body());
    }

    @Test
    void noApplicableRuleWithoutRecipientsGoesToTheCompanysFinancialUsers() throws Exception {
        List<ComposedMail> mails = compose(EventType.COMMISSION_CALCULATED, Map.of("status", "no_applicable_rule"));
        assertEquals(List.of("fin@x.dev"), mails.stream().map(ComposedMail::to).toList());
        assertTrue(mails.get(0).body().contains("(not given) by agent not given"), mails.get(0).body());
    }

    @Test
    void moneyIsWrittenInTheRecipientsNotationWithTwoPlaces() {
        assertEquals("R$ 333.333,33", MailComposer.money(new BigDecimal("333333.333"), MailLocale.PT_BR));
        assertEquals("R$0.12", MailComposer.money(new BigDecimal("0.125"), MailLocale.EN));
    }

    private List<ComposedMail> compose(EventType type, Map<String, Object> payload) throws Exception {
        EventEnvelope e = EventEnvelope.create(type, COMPANY, Actor.system("test"), "req", null,
                new AggregateRef("sale", UUID.randomUUID().toString()), payload);
        return composer.compose(e, null);
    }
}
