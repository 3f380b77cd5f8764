package io.pglogs.report;

import java.util.regex.Pattern;

/**
 * An error message with what changes from one occurrence to the next folded to {@code ...}: names in quotes, values
 * in parentheses, numbers of transactions, relations and processes, WAL positions. The rules are pgBadger's own
 * ({@code normalize_error} in pgBadger 12), in its order, so the report's groups are the ones pgBadger shows and the
 * oracle test can compare them message by message.
 */
public final class ErrorMessages {
    private ErrorMessages() {
    }

    private record Rule(Pattern pattern, String replacement, boolean all) {
    }

    private static Rule first(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), replacement, false);
    }

    private static Rule all(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), replacement, true);
    }

    private static final Rule[] RULES = {
            first("(?s) at character \\d+.*", ""),
            first("(byte sequence for encoding).*", "$1"),
            all("\"[^\"]+\"", "\"...\""),
            all("\"\"...\"\"", "\"...\""),
            all("\\([^)]+\\)", "(...)"),
            first("column .* does not exist", "column \"...\" does not exist"),
            first("(database system was.* at (?:log time )?).*", "$1 ..."),
            all("[0-9A-F]{24}", "..."),
            first(", u_uuid: [^,]+, file_path:.*", ". Retrying"),
            first("( for)? PID \\d+", ""),
            first(" TIMELINE \\d+", " TIMELINE n"),
            first(" [0-9A-F]+/[0-9A-F]+ ", " x/x "),
            first(" BASE_BACKUP LABEL '[^']*'.*", " BASE_BACKUP LABEL '...'"),
            all("(transaction|relation|database|process) \\d+", "$1 ..."),
            first("after \\d+\\.\\d+", "after ..."),
            first("cannot drop ([^\\s]+) [^\\s]+ ", "cannot drop $1 ... "),
            all("\\[[^]]+]", "..."),
            first("(character with byte sequence) .* (in encoding)", "$1 ... $2"),
            first("(invalid input syntax for [^:]+:).*", "$1 ..."),
            first("character (.*?) of encoding", "character ... of encoding"),
            first("(unterminated quoted string at or near) \"[^\"]+\"", "$1 \"...\""),
            first("on page \\d+ of relation", "on page ... of relation"),
            first("(side location conflict at ).*", "$1 ..."),
            first("(permission denied for [^\\s]+) .*", "$1 ..."),
            first("(database) (?:.*)? (must be vacuumed within) \\d+ (transactions)", "$1 \"...\" $2 ... $3"),
    };

    /** The message (its first line: what PostgreSQL said) normalised. */
    public static String normalise(String message) {
        String s = message;
        for (Rule r : RULES) {
            var m = r.pattern.matcher(s);
            s = r.all ? m.replaceAll(r.replacement) : m.replaceFirst(r.replacement);
        }
        return s;
    }
}
