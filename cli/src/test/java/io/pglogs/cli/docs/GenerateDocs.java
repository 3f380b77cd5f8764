package io.pglogs.cli.docs;

import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.PglogsCli;
import io.pglogs.cli.command.CompletionCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates the shell completions (completions/) and the man pages from the command model: docs/man/*.adoc in
 * picocli's man page format, and from that same source the roff pages man reads (docs/man/*.1), rendered by
 * Asciidoctor's manpage backend. Run by the build and by scripts/generate-docs; never edit the output by hand.
 *
 * <p>usage: GenerateDocs REPOSITORY_ROOT
 */
public final class GenerateDocs {
    private GenerateDocs() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        for (Map.Entry<String, String> e : generate().entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** Every generated file, keyed by its path in the repository. */
    public static Map<String, String> generate() {
        CliContext ctx = new CliContext(Map.of(), Path.of("."), new BufferedReader(new StringReader("")), false, false);
        CommandLine root = PglogsCli.create(ctx, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false);
        Map<String, String> files = new TreeMap<>();
        files.put("completions/pglogs.bash", CompletionCommand.script(root, CompletionCommand.Shell.bash));
        files.put("completions/_pglogs", CompletionCommand.script(root, CompletionCommand.Shell.zsh));
        manPages(root, files);
        renderRoff(files);
        return files;
    }

    /** docs/man/X.adoc becomes docs/man/X.1; fixed attributes keep the output the same from day to day. */
    private static void renderRoff(Map<String, String> files) {
        Attributes attributes = Attributes.builder()
                .attribute("mansource", "pglogs")
                .attribute("manmanual", "pglogs manual")
                .attribute("reproducible", "")
                .attribute("docdate", "")
                .attribute("revdate", "")
                .build();
        Options options = Options.builder().backend("manpage").standalone(true).safe(SafeMode.SAFE)
                .attributes(attributes).build();
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            Map<String, String> pages = new TreeMap<>();
            for (Map.Entry<String, String> e : files.entrySet()) {
                if (e.getKey().startsWith("docs/man/") && e.getKey().endsWith(".adoc")) {
                    String name = e.getKey().substring(0, e.getKey().length() - ".adoc".length()) + ".1";
                    pages.put(name, asciidoctor.convert(e.getValue(), options));
                }
            }
            files.putAll(pages);
        }
    }

    private static void manPages(CommandLine cmd, Map<String, String> files) {
        if (cmd.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        StringWriter page = new StringWriter();
        try (PrintWriter w = new PrintWriter(page)) {
            ManPageGenerator.writeSingleManPage(w, cmd.getCommandSpec());
        }
        String name = cmd.getCommandSpec().qualifiedName("-");
        files.put("docs/man/" + name + ".adoc", page.toString());
        for (CommandLine sub : cmd.getSubcommands().values()) {
            manPages(sub, files);
        }
    }
}
