package realty.notification.mail;

import org.junit.jupiter.api.Test;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionCalculated;
import realty.core.event.payload.CommissionCancelled;
import realty.core.event.payload.CommissionPaid;
import realty.core.event.payload.CommissionShare;
import realty.core.event.payload.EventPayload;
import realty.core.event.payload.PropertiesImported;
import realty.core.event.payload.PropertyAssignmentChanged;
import realty.core.event.payload.AuditExportFinished;
import realty.core.event.payload.UserCreated;
import realty.core.event.payload.UserInvited;
import realty.core.invitation.InvitationSettings;
import realty.core.invitation.InvitationTokens;
import realty.core.security.PasswordResetSettings;
import realty.core.security.PasswordResetTokens;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
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

/** Which mails each notified event causes, for the payload records producers send; no database. */
class MailComposerTest {
    private static final UUID COMPANY = UUID.randomUUID();
    private static final UUID AGENT = UUID.randomUUID();
    private static final UUID PROSPECTOR = UUID.randomUUID();
    private static final UUID FINANCIAL = UUID.randomUUID();
    private final Directory directory = new Directory();
    private final InvitationTokens tokens = new InvitationTokens(invitationSettings());
    private final MailComposer composer = new MailComposer(directory, new MailTemplates(), tokens, new PasswordResetMail(null,
            new PasswordResetTokens(new PasswordResetSettings()), new PasswordResetSettings(), new MailTemplates()),
            "https://app.realty.dev/api/v1/audit-logs/exports/");

    private static InvitationSettings invitationSettings() {
        InvitationSettings s = new InvitationSettings();
        s.setSecret("a-test-invitation-secret-of-32-bytes-or-more");
        s.setLinkBaseUrl("https://app.example/invitations");
        return s;
    }

    /** The company's people, as the database would answer. */
    static final class Directory extends Recipients {
        final Map<UUID, Recipient> users = new HashMap<>();
        final Map<UUID, Recipient> agentUsers = new HashMap<>();
        final Map<UUID, String> properties = new HashMap<>();
        final Map<UUID, String> propertiesOfSales = new HashMap<>();

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
            return Optional.of(properties.getOrDefault(propertyId, "Casa na praia (REF-7)"));
        }

        @Override
        public Optional<String> propertyOfSale(Connection c, UUID companyId, UUID saleId) {
            return Optional.ofNullable(propertiesOfSales.get(saleId));
        }

        @Override
        public Optional<String> companyName(Connection c, UUID companyId) {
            return Optional.of("Demo Imóveis");
        }
    }

    @Test
    void userCreatedWelcomesTheNewUserFromTheEventWhenTheDatabaseDoesNotKnowThem() throws Exception {
        List<ComposedMail> mails = compose(EventType.USER_CREATED, new UserCreated(UUID.randomUUID(),
                "new@x.dev", "Nova", "en", List.of("agent"), List.of(COMPANY)));

        assertEquals(1, mails.size());
        assertEquals("new@x.dev", mails.get(0).to());
        assertEquals(MailLocale.EN, mails.get(0).locale());
        assertEquals("Welcome to Demo Imóveis", mails.get(0).subject());
    }

    @Test
    void userCreatedWithAnInvitationSendsTheInvitationWithTheLinkDerivedFromItsId() throws Exception {
        UUID invitation = UUID.randomUUID();
        List<ComposedMail> mails = compose(EventType.USER_CREATED, new UserCreated(UUID.randomUUID(), "new@x.dev", "Nova", "pt-BR",
                List.of("agent"), List.of(COMPANY), invitation, Instant.parse("2026-12-01T21:30:00Z")));

        assertEquals(1, mails.size());
        assertEquals(MailTemplate.INVITATION, mails.get(0).template());
        assertEquals("Você foi convidado(a) para a Demo Imóveis", mails.get(0).subject());
        assertTrue(mails.get(0).body().contains("https://app.example/invitations/" + tokens.token(invitation) + "\n"), mails.get(0).body());
        assertTrue(mails.get(0).body().contains("até 01/12/2026 às 21:30 UTC"), mails.get(0).body());
    }

    @Test
    void aReSentInvitationGoesOutInEnglishWithTheNewLink() throws Exception {
        UUID invitation = UUID.randomUUID();
        List<ComposedMail> mails = compose(EventType.USER_INVITED, new UserInvited(UUID.randomUUID(), invitation,
                Instant.parse("2026-12-01T21:30:00Z"), UUID.randomUUID(), "new@x.dev", "Nova", "en"));

        assertEquals("You are invited to Demo Imóveis", mails.get(0).subject());
        assertTrue(mails.get(0).body().contains(tokens.link(invitation)), mails.get(0).body());
        assertTrue(mails.get(0).body().contains("until December 1, 2026, 21:30 UTC"), mails.get(0).body());
    }

    @Test
    void aReadyAuditExportMailsItsRequesterTheLinkToItsStateNotTheFile() throws Exception {
        UUID export = UUID.randomUUID();
        UUID ana = directory.agentUsers.get(AGENT).userId();
        List<ComposedMail> mails = compose(EventType.AUDIT_EXPORT_FINISHED, new AuditExportFinished(export, ana,
                AuditExportFinished.READY, 1234L, 99_000L, null, Instant.parse("2026-12-08T10:00:00Z")));

        assertEquals(1, mails.size());
        assertEquals("ana@x.dev", mails.get(0).to());
        assertEquals(MailTemplate.AUDIT_EXPORT_READY, mails.get(0).template());
        assertTrue(mails.get(0).body().contains("https://app.realty.dev/api/v1/audit-logs/exports/" + export + "\n"), mails.get(0).body());
        assertTrue(mails.get(0).body().contains("1234 registros") && mails.get(0).body().contains("08/12/2026 às 10:00 UTC"),
                mails.get(0).body());

        List<ComposedMail> failed = compose(EventType.AUDIT_EXPORT_FINISHED, new AuditExportFinished(export, ana,
                AuditExportFinished.FAILED, null, null, "the range took longer than 80 s to export; ask for shorter ranges", null));
        assertEquals(MailTemplate.AUDIT_EXPORT_FAILED, failed.get(0).template());
        assertTrue(failed.get(0).body().contains("ask for shorter ranges"), failed.get(0).body());
        assertEquals(List.of(), compose(EventType.AUDIT_EXPORT_FINISHED, new AuditExportFinished(export, null,
                AuditExportFinished.READY, 1L, 1L, null, null)), "no requester (platform admin): no mail");
    }

    @Test
    void userCreatedWithoutUserOrEmailIsAPermanentFailureNamingTheField() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> compose(EventType.USER_CREATED, new UserCreated(null, null, "x", null, List.of(), List.of())));
        assertTrue(e.getMessage().contains("user.created payload has no") && e.getMessage().contains("email"), e.getMessage());
    }

    @Test
    void assignmentGoesToTheAgentsUserInTheirLanguage() throws Exception {
        List<ComposedMail> mails = compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, new PropertyAssignmentChanged(UUID.randomUUID(),
                AGENT, "secondary", "added"));

        assertEquals(1, mails.size());
        assertEquals("ana@x.dev", mails.get(0).to());
        assertEquals("Novo imóvel atribuído a você: Casa na praia (REF-7)", mails.get(0).subject());
        assertTrue(mails.get(0).body().contains("responsabilidade secundária"), mails.get(0).body());
    }

    @Test
    void anEndedAssignmentSaysSo() throws Exception {
        UUID flat = UUID.randomUUID();
        directory.properties.put(flat, "Flat");
        List<ComposedMail> mails = compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, new PropertyAssignmentChanged(flat,
                PROSPECTOR, null, "removed"));
        assertEquals("Assignment ended: Flat", mails.get(0).subject());
    }

    @Test
    void anAgentWithoutUserAccountGetsNoMailAndThatIsNoFailure() throws Exception {
        assertEquals(List.of(), compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, new PropertyAssignmentChanged(UUID.randomUUID(),
                UUID.randomUUID(), "primary", "added")));
    }

    @Test
    void assignmentWithoutAgentIsAPermanentFailure() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> compose(EventType.PROPERTY_ASSIGNMENT_CHANGED, new PropertyAssignmentChanged(UUID.randomUUID(), null,
                        null, "added")));
        assertTrue(e.getMessage().contains("agentId"), e.getMessage());
    }

    @Test
    void importCompletedGoesToTheImportingActorWithTheCount() throws Exception {
        UUID importer = directory.agentUsers.get(PROSPECTOR).userId();
        EventEnvelope e = new EventEnvelope(UUID.randomUUID(), "properties.imported", 1, java.time.Instant.now(), COMPANY,
                new Actor(importer.toString(), List.of("manager"), null, null, null), "req", null,
                new AggregateRef("import", "x"), new PropertiesImported(3, UUID.randomUUID(), UUID.randomUUID(), importer.toString()));

        List<ComposedMail> mails = composer.compose(e, null);

        assertEquals(1, mails.size());
        assertEquals("Import completed: 3 properties", mails.get(0).subject());
    }

    @Test
    void importWithoutCountIsAPermanentFailure() {
        assertThrows(PermanentFailureException.class, () -> compose(EventType.PROPERTIES_IMPORTED,
                new PropertiesImported(null, UUID.randomUUID(), UUID.randomUUID(), FINANCIAL.toString())));
    }

    @Test
    void commissionCalculatedMailsEachAgentAndProspectorTheirOwnAmount() throws Exception {
        UUID sale = UUID.randomUUID();
        directory.propertiesOfSales.put(sale, "Casa");
        List<ComposedMail> mails = compose(EventType.COMMISSION_CALCULATED, new CommissionCalculated(sale, "calculated",
                "300000.00", AGENT, PROSPECTOR, UUID.randomUUID(), "30000.00", List.of(
                        new CommissionShare(UUID.randomUUID(), "agent", AGENT, "21000.00"),
                        new CommissionShare(UUID.randomUUID(), "prospector", PROSPECTOR, "9000")), null, List.of()));

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
        List<ComposedMail> mails = compose(EventType.COMMISSION_PAID, new CommissionPaid(UUID.randomUUID(),
                UUID.fromString("01234567-89ab-4cde-8f01-23456789abcd"), AGENT, "agent", "1500.5", "paid", List.of()));
        assertEquals("Comissão paga: R$ 1.500,50", mails.get(0).subject());
        assertTrue(mails.get(0).body().contains("venda 01234567"), mails.get(0).body());
    }

    @Test
    void commissionWithoutAnyAgentIsAPermanentFailure() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> compose(EventType.COMMISSION_CANCELLED, new CommissionCancelled(null, null, null, null, "1", null, null)));
        assertTrue(e.getMessage().contains("commission.cancelled payload has no agentId"), e.getMessage());
    }

    @Test
    void noApplicableRuleGoesToTheListedRecipients() throws Exception {
        List<ComposedMail> mails = compose(EventType.COMMISSION_CALCULATED, new CommissionCalculated(UUID.randomUUID(),
                "no_applicable_rule", "500000", AGENT, null, null, null, null, "no rule", List.of(FINANCIAL)));

        assertEquals(1, mails.size());
        assertEquals("fin@x.dev", mails.get(0).to());
        assertTrue(mails.get(0).subject().startsWith("Sale without an applicable commission rule"), mails.get(0).subject());
        assertTrue(mails.get(0).body().contains("(R$500,000.00) by agent Ana Agent"), mails.get(0).body());
    }

    @Test
    void noApplicableRuleWithoutRecipientsGoesToTheCompanysFinancialUsers() throws Exception {
        List<ComposedMail> mails = compose(EventType.COMMISSION_CALCULATED, new CommissionCalculated(UUID.randomUUID(),
                "no_applicable_rule", null, null, null, null, null, null, null, List.of()));
        assertEquals(List.of("fin@x.dev"), mails.stream().map(ComposedMail::to).toList());
        assertTrue(mails.get(0).body().contains("(not given) by agent not given"), mails.get(0).body());
    }

    @Test
    void moneyIsWrittenInTheRecipientsNotationWithTwoPlaces() {
        assertEquals("R$ 333.333,33", MailComposer.money(new BigDecimal("333333.333"), MailLocale.PT_BR));
        assertEquals("R$0.12", MailComposer.money(new BigDecimal("0.125"), MailLocale.EN));
    }

    private List<ComposedMail> compose(EventType type, EventPayload payload) throws Exception {
        EventEnvelope e = EventEnvelope.create(type, COMPANY, Actor.system("test"), "req", null,
                new AggregateRef("sale", UUID.randomUUID().toString()), payload);
        return composer.compose(e, null);
    }
}
