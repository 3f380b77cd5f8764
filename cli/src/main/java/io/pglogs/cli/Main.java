package io.pglogs.cli;

import io.pglogs.cli.option.CliContext;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.fusesource.jansi.AnsiConsole;

/** The {@code pglogs} executable: {@code bin/pglogs} runs this with {@code -Dpglogs.home=<installation>}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("pglogs.home", ".")).toAbsolutePath().normalize();
        boolean terminal = System.console() != null;
        CliContext ctx = new CliContext(System.getenv(), home,
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), terminal, terminal);
        boolean color = ctx.colorForArgs(args);
        if (color) {
            AnsiConsole.systemInstall();
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = PglogsCli.create(ctx, out, err, color).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
