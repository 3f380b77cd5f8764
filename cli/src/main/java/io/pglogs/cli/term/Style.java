package io.pglogs.cli.term;

import org.fusesource.jansi.Ansi;

/** Colours for terminal output, or none: built once per command from {@code CliContext.color()}. */
public final class Style {
    private final boolean on;

    public Style(boolean on) {
        this.on = on;
    }

    public boolean on() {
        return on;
    }

    public String ok(String s) {
        return paint(s, Ansi.Color.GREEN, false);
    }

    public String warn(String s) {
        return paint(s, Ansi.Color.YELLOW, false);
    }

    public String error(String s) {
        return paint(s, Ansi.Color.RED, true);
    }

    public String header(String s) {
        return on ? Ansi.ansi().bold().a(s).reset().toString() : s;
    }

    public String dim(String s) {
        return on ? Ansi.ansi().fgBrightBlack().a(s).reset().toString() : s;
    }

    public String color(String s, Ansi.Color color) {
        return paint(s, color, false);
    }

    private String paint(String s, Ansi.Color color, boolean bold) {
        if (!on) {
            return s;
        }
        Ansi a = Ansi.ansi();
        if (bold) {
            a.bold();
        }
        return a.fg(color).a(s).reset().toString();
    }
}
