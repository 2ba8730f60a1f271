package realty.notification.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailTemplatesTest {
    private final MailTemplates templates = new MailTemplates();

    @ParameterizedTest
    @EnumSource(MailTemplate.class)
    void everyTemplateRendersInPortugueseAndEnglishWithAllItsVariables(MailTemplate template) {
        Map<String, String> vars = new HashMap<>();
        template.variables().forEach(v -> vars.put(v, "<" + v + ">"));

        MailTemplates.Text pt = templates.render(template, MailLocale.PT_BR, vars);
        MailTemplates.Text en = templates.render(template, MailLocale.EN, vars);

        for (MailTemplates.Text text : new MailTemplates.Text[]{pt, en}) {
            assertFalse(text.subject().isBlank(), template + " has an empty subject");
            assertFalse((text.subject() + text.body()).contains("{{"), template + " left a placeholder: " + text);
            assertTrue(text.body().contains("<name>"), template + " does not greet the recipient by name");
        }
        assertNotEquals(pt.subject(), en.subject(), template + ": the subjects are not translated");
        assertTrue(pt.body().contains("não responda"), template + " pt-BR body is not Portuguese");
        assertTrue(en.body().contains("please do not reply"), template + " en body is not English");
    }

    @Test
    void welcomeSubjectNamesTheCompanyInTheRecipientsLanguage() {
        Map<String, String> vars = Map.of("name", "Ana", "company", "Demo Imóveis", "email", "ana@x.dev");
        assertEquals("Bem-vindo(a) à Demo Imóveis", templates.render(MailTemplate.WELCOME, MailLocale.PT_BR, vars).subject());
        assertEquals("Welcome to Demo Imóveis", templates.render(MailTemplate.WELCOME, MailLocale.EN, vars).subject());
    }

    @Test
    void aMissingVariableIsAnErrorNotAnEmptyGap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> templates.render(MailTemplate.WELCOME, MailLocale.EN, Map.of("name", "Ana")));
        assertTrue(e.getMessage().contains("{{company}}"), e.getMessage());
    }

    @Test
    void aSubjectCannotBeSplitIntoSeveralHeaderLines() {
        Map<String, String> vars = Map.of("name", "x", "company", "Evil\r\nBcc: victim@x.dev", "email", "a@b.c");
        assertFalse(templates.render(MailTemplate.WELCOME, MailLocale.EN, vars).subject().contains("\n"));
    }

    @Test
    void termsAreTranslatedAndFallBackToTheKey() {
        assertEquals("captador(a)", templates.term(MailLocale.PT_BR, "role.prospector"));
        assertEquals("prospector", templates.term(MailLocale.EN, "role.prospector"));
        assertEquals("mystery", templates.term(MailLocale.EN, "role.mystery"));
    }

    @Test
    void localeTagsMapToTheTwoLanguagesWithPortugueseAsDefault() {
        assertEquals(MailLocale.EN, MailLocale.of("en"));
        assertEquals(MailLocale.EN, MailLocale.of("en-US"));
        assertEquals(MailLocale.PT_BR, MailLocale.of("pt-BR"));
        assertEquals(MailLocale.PT_BR, MailLocale.of(null));
        assertEquals(MailLocale.PT_BR, MailLocale.of("fr"));
    }
}
