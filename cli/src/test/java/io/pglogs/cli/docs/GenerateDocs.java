package io.pglogs.cli.docs;

import io.pglogs.cli.CliContext;
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
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates the shell completions (completions/) and the man pages (docs/man/, AsciiDoc in picocli's man page
 * format) from the command model. Run by the build and by scripts/generate-docs; never edit the output by hand.
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
        return files;
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
