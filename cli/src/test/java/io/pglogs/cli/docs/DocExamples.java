package io.pglogs.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples a document shows: every command of its {@code sh} blocks (a line, or lines joined by a trailing
 * backslash; comment-only lines are not commands) and every {@code properties} block (a config file), in order.
 * A command whose comment ends in {@code [real AWS only]} or {@code [not run by the docs test: WHY]} is marked: the
 * docs test skips exactly those, and the reader sees why.
 */
public final class DocExamples {
    /** The documents whose examples are run, in the order a newcomer reads them. A new document is one line here. */
    public static final List<String> DOCUMENTS = List.of("README.md", "docs/operator-guide.md", "docs/cli.md");

    /** The key of a properties block: the test writes it as the config file and runs {@code config show}. */
    public static final String CONFIG_FILE = "(the config file as shown)";

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern MARKER =
            Pattern.compile("\\[(real AWS only|not run by the docs test: [^\\]]+)\\]\\s*$");

    /**
     * One example.
     *
     * @param key     what the expectations name it by: the command without its comment, continuation lines joined
     *                with a space, or {@link #CONFIG_FILE}
     * @param text    what runs: the command's lines as written (comment included), or the properties block
     * @param block   which fenced block of the document it is in (0-based): each starts at the checkout's root
     * @param line    its first line in the document (1-based)
     * @param skipped the marker's reason when the document marks it as not run here, else null
     */
    public record Example(String document, int block, int line, String key, String text, String skipped) {
        public boolean isConfigFile() {
            return key.equals(CONFIG_FILE);
        }

        public String where() {
            return document + ":" + line;
        }
    }

    private DocExamples() {
    }

    /** The examples of {@code document} (relative to {@code repo}). */
    public static List<Example> of(Path repo, String document) {
        try {
            return parse(document, Files.readString(repo.resolve(document)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Example> parse(String document, String markdown) {
        List<Example> examples = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        int blocks = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches() || open.group(1).isEmpty()) {
                continue;
            }
            String info = open.group(1);
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].startsWith("```")) {
                end++;
            }
            if (info.equals("sh")) {
                commands(document, blocks, lines, start, end, examples);
            } else if (info.equals("properties")) {
                String block = String.join("\n", List.of(lines).subList(start, end)) + "\n";
                examples.add(new Example(document, blocks, start + 1, CONFIG_FILE, block, null));
            }
            i = end;
            blocks++;
        }
        return examples;
    }

    private static void commands(String document, int block, String[] lines, int start, int end, List<Example> into) {
        for (int i = start; i < end; i++) {
            String first = lines[i];
            if (first.isBlank() || first.stripLeading().startsWith("#")) {
                continue;
            }
            int line = i + 1;
            StringBuilder text = new StringBuilder(first);
            StringBuilder key = new StringBuilder();
            String part = stripComment(first).strip();
            while (part.endsWith("\\") && i + 1 < end) {
                key.append(part, 0, part.length() - 1).append(' ');
                first = lines[++i];
                text.append('\n').append(first);
                part = stripComment(first).strip();
            }
            key.append(part);
            String comment = commentOf(lines[i]);
            Matcher marker = MARKER.matcher(comment);
            into.add(new Example(document, block, line, key.toString().replaceAll("\\s+", " ").strip(), text.toString(),
                    marker.find() ? marker.group(1) : null));
        }
    }

    /** The line without a trailing {@code # comment}: a # after white space, outside quotes, starts one. */
    static String stripComment(String line) {
        int at = commentStart(line);
        return at < 0 ? line : line.substring(0, at);
    }

    private static String commentOf(String line) {
        int at = commentStart(line);
        return at < 0 ? "" : line.substring(at);
    }

    private static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }
}
