package io.pglogs.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI's layering, kept as tests so it stays: {@code command} is picocli's adapter (a leaf command parses, opens a
 * session, calls one use case of {@code app} and renders one view), and nothing below it knows picocli or the command
 * line's context. Packages form no cycle.
 */
class ArchitectureTest {
    private static final String CLI = "io.pglogs.cli";
    /** The packages of the adapter: the top (Main, the factory, the error handler), the commands and their mixins. */
    private static final String[] ADAPTER = {CLI, CLI + ".command..", CLI + ".option.."};
    /** A leaf command longer than this (imports aside) does more than adapt. */
    static final int MAX_COMMAND_LINES = 80;

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(CLI);
    }

    static final ArchRule NO_CYCLES = slices().matching(CLI + ".(*)..").should().beFreeOfCycles();

    static final ArchRule ROOT_ON_TOP = noClasses().that().resideOutsideOfPackage(CLI).should()
            .dependOnClassesThat().resideInAPackage(CLI);

    static final ArchRule NO_AWS_IN_COMMANDS = noClasses().that().resideInAPackage(CLI + ".command..").should()
            .dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", CLI + ".aws..",
                    CLI + ".terraform..", CLI + ".table..");

    static final ArchRule NO_PICOCLI_BELOW = noClasses().that().resideOutsideOfPackages(ADAPTER).should()
            .dependOnClassesThat().resideInAnyPackage("picocli..", CLI + ".option..", CLI + ".command..");

    /**
     * Every AWS call of a command goes through the session's clients, made after the account check
     * ({@code <env>.account_id}); only the local pipeline, whose account is the emulator, makes its own.
     */
    static final ArchRule CLIENTS_ONLY_FROM_THE_SESSION = noClasses().that()
            .doNotHaveFullyQualifiedName(CLI + ".app.Session").and().resideOutsideOfPackages(CLI + ".local..",
                    CLI + ".aws..")
            .should().callMethod(CLI + ".aws.AwsClients", "create", CLI + ".config.Settings$Value",
                    CLI + ".config.Settings$Value", CLI + ".config.Settings$Value", "java.util.Map");

    /** Use cases return results; views render them, so the application layer knows no view. */
    static final ArchRule APP_KNOWS_NO_VIEW = noClasses().that().resideInAPackage(CLI + ".app..").should()
            .dependOnClassesThat().resideInAPackage(CLI + ".view..");

    @Test
    void awsClientsComeFromTheSessionAfterTheAccountCheck() {
        CLIENTS_ONLY_FROM_THE_SESSION.check(classes);
    }

    @Test
    void theApplicationLayerKnowsNoView() {
        APP_KNOWS_NO_VIEW.check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        NO_CYCLES.check(classes);
    }

    @Test
    void theRootPackageIsTheTopAndNothingDependsOnIt() {
        ROOT_ON_TOP.check(classes);
    }

    @Test
    void commandsCallNoAwsSdkAndRunNoTerraformThemselves() {
        NO_AWS_IN_COMMANDS.check(classes);
    }

    @Test
    void nothingBelowTheCommandsKnowsPicocliOrTheCommandLineContext() {
        NO_PICOCLI_BELOW.check(classes);
    }

    /** Each rule fails on test classes made to break it: none of them is a rule that cannot fail. */
    @Test
    void eachRuleFailsOnCodeThatBreaksIt() throws Exception {
        JavaClasses breaking = new ClassFileImporter().importClasses(
                Class.forName(CLI + ".command.RuleBreakingCommand"), Class.forName(CLI + ".view.PicocliInAView"),
                Class.forName(CLI + ".cyclea.First"), Class.forName(CLI + ".cycleb.Second"),
                Class.forName(CLI + ".app.ViewInTheApp"));
        for (ArchRule rule : new ArchRule[] {NO_CYCLES, ROOT_ON_TOP, NO_AWS_IN_COMMANDS, NO_PICOCLI_BELOW,
                NO_SERVICES_MADE, CLIENTS_ONLY_FROM_THE_SESSION, APP_KNOWS_NO_VIEW}) {
            assertThrows(AssertionError.class, () -> rule.check(breaking), rule.getDescription());
        }
    }

    /** Commands ask for use cases (Deployments.of(session, ...)); they build requests, never services. */
    static final ArchRule NO_SERVICES_MADE = noClasses().that().resideInAPackage(CLI + ".command..").should()
            .callConstructorWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                    DescribedPredicate.describe("a service below the commands", (JavaClass c) ->
                            c.getPackageName().startsWith(CLI + ".") && !c.getPackageName().startsWith(CLI + ".command")
                                    && !c.getPackageName().startsWith(CLI + ".option")
                                    && !c.getPackageName().startsWith(CLI + ".view")
                                    && !c.isAssignableTo(Record.class) && !c.isEnum()))));

    @Test
    void commandsMakeNoServiceOfTheirOwn() {
        NO_SERVICES_MADE.check(classes);
    }

    /** Leaf commands (those that run: Callable and not a group) stay adapters: short. */
    @Test
    void leafCommandsStayShort() throws IOException {
        List<String> tooLong = new ArrayList<>();
        int leaves = 0;
        for (JavaClass c : classes) {
            if (!c.getPackageName().equals(CLI + ".command") || !c.isAssignableTo(Callable.class)
                    || c.getSimpleName().isEmpty() || isGroup(c)) {
                continue;
            }
            leaves++;
            int lines = linesWithoutImports(source(c));
            if (lines > MAX_COMMAND_LINES) {
                tooLong.add(c.getSimpleName() + " (" + lines + " lines)");
            }
        }
        assertTrue(leaves >= 20, "found only " + leaves + " leaf commands: is the source path right?");
        assertTrue(tooLong.isEmpty(), "leaf commands over " + MAX_COMMAND_LINES + " lines: " + tooLong);
    }

    private static boolean isGroup(JavaClass c) {
        return c.getRawSuperclass().map(s -> s.getSimpleName().equals("GroupCommand")).orElse(false)
                || c.getSimpleName().equals("GroupCommand");
    }

    static Path source(JavaClass c) {
        return Path.of("src/main/java", c.getPackageName().replace('.', '/'), c.getSimpleName() + ".java");
    }

    static int linesWithoutImports(Path source) throws IOException {
        try (Stream<String> lines = Files.lines(source)) {
            return (int) lines.filter(l -> !l.startsWith("import ") && !l.startsWith("package ")).count();
        }
    }
}
