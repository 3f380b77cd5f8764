package io.pglogs.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each documented command must do, read from {@code docs-examples.txt} (see its header): per document, the
 * commands in the document's order, each followed by its expectation. Kept apart from the docs so that they read as
 * a reader needs them, and in one file so that a changed command shows up as a changed line in review.
 */
public final class Expectations {
    public static final Path FILE = Path.of("src/test/resources/docs-examples.txt");

    private static final Pattern SECTION = Pattern.compile("^\\[(.+)]$");
    private static final Pattern EXPECT = Pattern.compile(
            "^\\s+-> exit (\\d+)(?:, typing (\\S+))?(?:, stopped after (\\d+)s)?(?:, then (.+?))?"
                    + "(?:: (.+)|, prints nothing)$");
    private static final Pattern SHELL = Pattern.compile("^shell: (.*)$");

    /**
     * @param key    the command as {@link DocExamples.Example#key()} names it
     * @param exit   its exit code
     * @param typing what is typed at a terminal for each question it asks, or null: then it has no terminal
     * @param stopAfter seconds after which it is interrupted (SIGINT, Ctrl-C: a command that follows), or 0
     * @param then   what the test does after it (a step of its own set-up, named in the file), or null
     * @param line   a text one line of its output (stdout and stderr) contains, or null: it prints nothing
     * @param at     the command's line in the expectations file
     */
    public record Expectation(String key, int exit, String typing, int stopAfter, String then, String line, int at) {
    }

    /** A document's expectations and the environment its shell starts with (besides the test's own). */
    public record Section(Map<String, String> shell, List<Expectation> commands) {
    }

    private Expectations() {
    }

    /** The expectations, per document, in order. */
    public static Map<String, Section> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Section> parse(String text) {
        Map<String, Section> all = new LinkedHashMap<>();
        Section section = null;
        String command = null;
        int commandAt = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            Matcher s = SECTION.matcher(l);
            Matcher e = EXPECT.matcher(l);
            Matcher sh = SHELL.matcher(l);
            if (s.matches()) {
                section = all.computeIfAbsent(s.group(1), k -> new Section(new LinkedHashMap<>(), new ArrayList<>()));
            } else if (sh.matches() && section != null && command == null) {
                for (String kv : sh.group(1).trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    section.shell().put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            } else if (e.matches()) {
                if (command == null || section == null) {
                    throw new IllegalArgumentException(FILE + ":" + (i + 1) + ": an expectation without a command");
                }
                section.commands().add(new Expectation(command, Integer.parseInt(e.group(1)), e.group(2),
                        e.group(3) == null ? 0 : Integer.parseInt(e.group(3)), e.group(4), e.group(5), commandAt));
                command = null;
            } else if (!Character.isWhitespace(l.charAt(0))) {
                if (command != null) {
                    throw new IllegalArgumentException(FILE + ":" + commandAt + ": '" + command
                            + "' has no expectation ('  -> exit N: TEXT' on the next line)");
                }
                command = l.strip();
                commandAt = i + 1;
            } else {
                throw new IllegalArgumentException(FILE + ":" + (i + 1) + ": not an expectation: '" + l + "' ("
                        + "'  -> exit N: TEXT', '  -> exit N, prints nothing', optionally ', typing WORD',"
                        + " ', stopped after Ns' and ', then STEP' before the colon)");
            }
        }
        if (command != null) {
            throw new IllegalArgumentException(FILE + ":" + commandAt + ": '" + command + "' has no expectation");
        }
        return all;
    }
}
