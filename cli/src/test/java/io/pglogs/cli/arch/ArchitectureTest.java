package io.pglogs.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

    @Test
    void packagesFormNoCycle() {
        slices().matching(CLI + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theRootPackageIsTheTopAndNothingDependsOnIt() {
        noClasses().that().resideOutsideOfPackage(CLI).should().dependOnClassesThat().resideInAPackage(CLI)
                .check(classes);
    }

    @Test
    void commandsCallNoAwsSdkAndRunNoTerraformThemselves() {
        noClasses().that().resideInAPackage(CLI + ".command..").should().dependOnClassesThat()
                .resideInAnyPackage("software.amazon.awssdk..", CLI + ".aws..", CLI + ".terraform..",
                        CLI + ".table..")
                .check(classes);
    }

    @Test
    void nothingBelowTheCommandsKnowsPicocliOrTheCommandLineContext() {
        noClasses().that().resideOutsideOfPackages(ADAPTER).should().dependOnClassesThat()
                .resideInAnyPackage("picocli..", CLI + ".option..", CLI + ".command..")
                .check(classes);
    }

    /** Commands ask for use cases (Deployments.of(session, ...)); they build requests, never services. */
    @Test
    void commandsMakeNoServiceOfTheirOwn() {
        DescribedPredicate<JavaClass> service = DescribedPredicate.describe("a service below the commands",
                c -> c.getPackageName().startsWith(CLI + ".") && !c.getPackageName().startsWith(CLI + ".command")
                        && !c.getPackageName().startsWith(CLI + ".option") && !c.getPackageName().startsWith(CLI + ".view")
                        && !c.isAssignableTo(Record.class) && !c.isEnum());
        noClasses().that().resideInAPackage(CLI + ".command..").should().callConstructorWhere(
                JavaCall.Predicates.target(HasOwner.Predicates.With.owner(service))).check(classes);
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
