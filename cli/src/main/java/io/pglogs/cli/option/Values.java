package io.pglogs.cli.option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks of option values picocli cannot type: a malformed or empty one is a usage error naming the option, before
 * anything calls AWS. (The factory refuses empty values of every other option.)
 */
public final class Values {
    private Values() {
    }

    /** The command as typed after "pglogs", e.g. "rds show", for messages that already start with "pglogs: ". */
    static String commandName(picocli.CommandLine.Model.CommandSpec command) {
        String name = command.qualifiedName();
        String root = command.root().name() + " ";
        return name.startsWith(root) ? name.substring(root.length()) : name;
    }

    /** Refuses an empty or blank value: picocli names the option in the message. */
    public static String nonEmpty(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("empty: give a value or leave the option out");
        }
        return value;
    }

    /** A value that must match a pattern; the message says what was expected. */
    private abstract static class Matching implements ITypeConverter<String> {
        private final Pattern pattern;
        private final String expected;

        Matching(String regex, String expected) {
            this.pattern = Pattern.compile(regex);
            this.expected = expected;
        }

        @Override
        public String convert(String value) {
            nonEmpty(value);
            if (!pattern.matcher(value).matches()) {
                throw new TypeConversionException("'" + value + "' is not " + expected);
            }
            return value;
        }
    }

    /** An RDS instance or Aurora cluster identifier: what RDS accepts when it is created. */
    public static final class RdsIdentifier extends Matching {
        public RdsIdentifier() {
            super("[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)", "an RDS identifier (1 to 63 letters, digits and single "
                    + "hyphens, starting with a letter)");
        }
    }

    /** A CloudWatch Logs group name, by CloudWatch's rules. */
    public static final class LogGroup extends Matching {
        public LogGroup() {
            super("[A-Za-z0-9._/#-]{1,512}", "a log group name (up to 512 of a-z, A-Z, 0-9, '.', '_', '/', '#', '-')");
        }
    }

    /** An AWS region name such as eu-west-1. */
    public static final class Region extends Matching {
        public Region() {
            super("[a-z]{2,}(-[a-z0-9]+)+", "an AWS region (like eu-west-1)");
        }
    }

    /** An absolute http(s) URL with a host, as the SDK's endpoint override needs. */
    public static final class Url implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            nonEmpty(value);
            try {
                URI uri = new URI(value);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return value;
                }
            } catch (URISyntaxException e) {
                // named below
            }
            throw new TypeConversionException("'" + value + "' is not an http:// or https:// URL with a host");
        }
    }
}
