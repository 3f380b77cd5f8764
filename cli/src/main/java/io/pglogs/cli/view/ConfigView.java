package io.pglogs.cli.view;

import io.pglogs.cli.app.Configuration;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Settings with their sources, and where an environment's Terraform state is. */
public final class ConfigView {
    private final PrintWriter out;
    private final Style style;

    public ConfigView(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    record SettingsJson(String file, List<Settings.Value> settings, List<String> warnings) {
    }

    public void settings(Path file, List<Settings.Value> values, List<String> warnings, boolean json) {
        if (json) {
            out.println(Json.pretty(new SettingsJson(file.toString(), values, warnings)));
            return;
        }
        out.println(style.dim("config file: " + file + (Files.isRegularFile(file) ? "" : " (none)")));
        for (Settings.Value v : values) {
            String value = v.isSet() ? Printable.line(v.value()) : style.dim("(unset)");
            out.println(String.format("%-26s %-44s %s", v.key(), value, style.dim(Printable.line(v.source()))));
        }
        warnings.forEach(w -> out.println(style.warn("warning: " + Printable.line(w))));
    }

    public void state(Configuration.StateReport report, boolean json) {
        if (json) {
            out.println(Json.pretty(report));
            return;
        }
        out.println(style.header(report.env() + ": " + (report.shared() ? "shared state in S3" : "local state")));
        for (Configuration.RootState root : report.roots()) {
            // Paths and AWS's own words: never raw control characters on the terminal.
            out.println("  " + root.root() + ": " + Printable.line(root.where()));
            if (root.toMove() != null) {
                out.println(style.warn("    this working copy still holds a local state, "
                        + Printable.line(root.toMove())
                        + (report.shared() ? "; the next start or stop copies it to S3 (asking first)"
                                : "; the next start or stop moves it there")));
            }
            if (!root.initialised()) {
                out.println("    this working copy is not initialised yet");
            } else if (root.stillUses() != null) {
                out.println(style.warn("    this working copy still uses " + root.stillUses()
                        + "; the next start or stop moves it (asking first)"));
            }
        }
        if (report.env().isProd() && !report.shared()) {
            out.println(style.warn("  prod's state should be shared: set " + Setting.STATE_BUCKET.key(report.env())
                    + " so that every machine deploying prod sees it"));
        }
    }
}
