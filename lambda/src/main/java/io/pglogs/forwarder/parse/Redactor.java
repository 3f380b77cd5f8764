package io.pglogs.forwarder.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in log text by {@code [redacted]} before anything is stored.
 *
 * <p>The text is read as PostgreSQL's lexer would, from its start: literals ({@link SqlLiterals}), comments and
 * quoted identifiers are found first, statements end at a {@code ;} outside them, and keywords count only outside
 * literals and comments, so a literal or comment that mentions {@code create user} cannot throw the scan off.
 * A statement is sensitive, and every literal in it replaced, when it is
 * <ul>
 * <li>a {@code CREATE/ALTER ROLE|USER|GROUP} (user mappings included), whatever the keyword before a literal (a
 * misspelled {@code PASWORD} still carries the password); a bare word after a password keyword, to white space or
 * the statement's end (a failed {@code ALTER USER u PASSWORD hunter$2x}) too;</li>
 * <li>a call of RDS's credential functions ({@code aws_commons.create_aws_credentials},
 * {@code aws_s3.table_import_from_s3}, {@code aws_s3.query_export_to_s3});</li>
 * <li>one holding an AWS access key id ({@code AKIA...}, {@code ASIA...});</li>
 * <li>a {@code SET}, {@code ALTER ... SET} or {@code set_config} of a parameter whose name holds password, secret,
 * token or key (an unquoted value too);</li>
 * <li>one with a literal that holds such a statement (the {@code format('ALTER ROLE %I PASSWORD %L', ...)} idiom, a DO
 * block's body): that literal is read as a statement of its own, the others are replaced.</li>
 * </ul>
 * Anywhere in the text it also removes the literal after the word PASSWORD, the value of every libpq connection
 * string key whose name holds {@code password} (as libpq reads it: quoted with backslash escapes, else to the next
 * whitespace), the password of {@code scheme://user:password@host} URIs (to the URI's last '@'), password verifiers
 * ({@code SCRAM-SHA-256$...}, {@code md5} and 32 hex digits), access key ids and the 40-character secrets beside
 * them, values of such parameters in {@code parameter "..." changed to "..."}, the literal PostgreSQL's lexer
 * echoes in {@code at or near "..."} errors, and the token a syntax error quotes unless it is a keyword or an
 * operator (where a bare password surfaces: {@code syntax error at or near "hunter2"}). It errs towards redacting
 * too much, and redacts each entry from its own text alone.
 *
 * <p>At {@link Redaction#LITERALS} it also replaces every literal, wherever it is (bind parameters in
 * {@code DETAIL: parameters: $1 = '...'}, CONTEXT lines, auto_explain plans), and the input values PostgreSQL quotes
 * in its messages ({@link QuotedValues}: {@code Key (...)=(...)}, COPY's rows, JSON tokens, {@code invalid input
 * syntax for type ...: "..."} and kin).
 * Statements keep their shape; numeric constants stay.
 */
public final class Redactor {
    public static final String MARK = "[redacted]";
    /** How deep literals inside literals are read as statements (a DO block's EXECUTE of a format()...). */
    private static final int MAX_DEPTH = 4;

    private static final Pattern ROLE_STATEMENT =
            Pattern.compile("(?i)\\b(?:create|alter)\\s+(?:role|user|group)\\b");
    private static final Pattern CREDENTIAL_FUNCTION = Pattern.compile(
            "(?i)\\b(?:create_aws_credentials|table_import_from_s3|query_export_to_s3)\"?\\s*\\(");
    /**
     * A bare (unquoted) value after a password keyword, however misspelled, in a role statement: up to white space or
     * the statement's end, whatever it holds ({@code hunter$2x}, {@code pw(1)}), since the statement failed on it.
     */
    private static final Pattern BARE_PASSWORD = Pattern.compile(
            "(?i)(\\bp(?:as|w)\\w*\\s++)(?!(?:null|to)\\b)(\"[^\"]*+\"?|[^\\s;]++)");
    /** What stands for the password in a statement built by format() or with parameters: %L, %1$s, $1. */
    private static final Pattern PLACEHOLDER = Pattern.compile("%(?:\\d+\\$)?-?\\d*[sIL]|\\$\\d+");
    /** A statement template whose password is filled in: {@code format('ALTER %s %I PASSWORD %L', ...)}. */
    private static final Pattern PASSWORD_PLACEHOLDER =
            Pattern.compile("(?i)\\bpassword\\s++(?:%(?:\\d+\\$)?-?\\d*[sIL]|\\$\\d+)");
    /**
     * A parameter name holding a secret word. Bounded and possessive, so a long run of name characters costs a bounded
     * scan per {@code set}, not one per character of it (a qualified name of two identifiers is at most ~131).
     */
    private static final String SECRET_NAME =
            "(?=[\\w.$\"]{0,156}?(?:password|secret|token|key))[\\w.$\"]{1,160}+";
    private static final Pattern SET_SECRET = Pattern.compile(
            "(?i)(\\bset\\s++(?:session\\s++|local\\s++)?" + SECRET_NAME + "\\s*+(?:=|\\bto\\b)\\s*+)([^\\s;,'$]++)?");
    private static final Pattern SET_CONFIG = Pattern.compile("(?i)\\bset_config\\s*\\(");
    /**
     * An UPDATE (also {@code ON CONFLICT DO UPDATE}, MERGE's {@code UPDATE SET}) before a SET: that SET assigns
     * columns, it sets no parameter, and only the literal assigned to a secret column goes.
     */
    private static final Pattern UPDATE_WORD = Pattern.compile("(?i)\\bupdate\\b");
    private static final Pattern SET_WORD = Pattern.compile("(?i)\\bset\\b");
    /** The assignment of a secret column, right before its value: {@code SET password = }, {@code , api_token = }. */
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)(?:\\bset\\s++|,\\s*+)" + SECRET_NAME + "\\s*+=\\s*+$");
    /** An item of a secret setting's value list outside literals: a word, a number, a quoted identifier. */
    private static final Pattern SET_VALUE_ITEM = Pattern.compile("\"[^\"]*+\"?|[^\\s,;\"]++");
    /**
     * pgcrypto's functions that take a password, a key or the data to hash or encrypt: crypt, digest, hmac, encrypt,
     * decrypt (and _iv), pgp_sym_* and pgp_pub_* (en|de)crypt (and _bytea), dearmor. Every literal of a statement
     * calling one goes, as for RDS's credential functions: which argument is the secret depends on the function.
     */
    private static final Pattern PGCRYPTO_FUNCTION = Pattern.compile("(?i)\\b(?:crypt|digest|hmac|dearmor"
            + "|(?:en|de)crypt(?:_iv)?|pgp_(?:sym|pub)_(?:en|de)crypt(?:_bytea)?)\"?\\s*\\(");
    private static final Pattern SECRET_WORD = Pattern.compile("(?i)password|secret|token|key");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[\\w.$]+");
    /** The word, alone or ending a quoted identifier ({@code "password" = '...'}, {@code OPTIONS ("sslpassword" '...')}). */
    private static final Pattern PASSWORD_WORD =
            Pattern.compile("(?i)(?:password\"\\s*(?:=>|:=|=)?|\\bpassword\\s*(?:=>|:=)?)\\s*");
    /**
     * A libpq connection string key holding "password" (password, sslpassword) and its value: libpq-quoted (quotes
     * doubled or backslash-escaped inside an SQL literal), else up to whitespace or the end of the SQL literal.
     */
    private static final Pattern CONNINFO_PASSWORD = Pattern.compile(
            "(?i)(\\b\\w*password\\s*=(?!>)\\s*)(?:''(?:[^'\\\\]|\\\\.|'(?!'))*+(?:''|$)|\\\\'(?:[^\\\\]|\\\\[^'])*+"
                    + "(?:\\\\'|$)|'(?:[^'\\\\]|\\\\.)*+'?|(?:\\\\.|''|[^\\s'\\\\])+)");
    /** Longest URI scheme and user name read around a "://": bounded so repeated "://" cost a bounded scan each. */
    private static final int URI_PART_MAX = 256;
    /**
     * PostgreSQL's lexer quotes the offending token, an unterminated literal to the end of the statement: this finds
     * its opening, {@link #closingEchoQuote} its end.
     */
    private static final Pattern ECHOED_LITERAL =
            Pattern.compile("at or near \"(?:(?:[EeNnBbXx]|[Uu]&)?'|\\$[^$\\s\"]{0,64}+\\$)");
    private static final Pattern ECHOED_TOKEN = Pattern.compile("(at or near \")(\"?[^\"\\n]*\"?)(\")");
    /**
     * The token a syntax error quotes, to the quote before the line's end (a quoted identifier's own quotes inside),
     * and what the lexer quotes of a number run into letters ({@code PASSWORD 123abc}).
     */
    private static final String SYNTAX_ECHO = "syntax error at or near \"";
    private static final Pattern NUMERIC_JUNK = Pattern.compile(
            "(trailing junk after numeric literal at or near \")([^\"\\n]*)(\")");
    /** Operators and punctuation: what a syntax error quotes when it is not at a word. */
    private static final Pattern PUNCTUATION = Pattern.compile("[^\\p{L}\\p{N}_\"'$]+");
    private static final Pattern VERIFIER = Pattern.compile(
            "(?i)SCRAM-SHA-256\\$\\d+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+|\\bmd5[0-9a-f]{32}\\b");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");
    /** A secret access key (40 characters of base64) or a session token (longer), beside an access key id. */
    private static final Pattern AWS_SECRET =
            Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])|[A-Za-z0-9/+=]{100,}");
    /** Name runs are bounded (a parameter name is an identifier or two) so a long one costs a bounded scan. */
    private static final Pattern SECRET_PARAMETER_VALUE = Pattern.compile(
            "(?i)(parameter \"(?=[^\"\\n]{0,256}?(?:password|secret|token|key))[^\"\\n]{1,264}+\"[^\"\\n]{0,128}+\")"
                    + "([^\"\\n]*+)(\")");
    private final Redaction level;

    /** The default level, {@link Redaction#PASSWORDS}. */
    public Redactor() {
        this(Redaction.PASSWORDS);
    }

    public Redactor(Redaction level) {
        if (level == Redaction.NONE) {
            throw new IllegalArgumentException("no redactor redacts nothing: use null");
        }
        this.level = level;
    }

    public Redaction level() {
        return level;
    }

    /**
     * @param sensitive whether a statement of the text was sensitive: in stderr its bind parameters follow as an entry
     *                  of their own, which {@link #redactParameters} redacts
     */
    public record Result(String text, boolean redacted, boolean sensitive) {
        public Result(String text, boolean redacted) {
            this(text, redacted, false);
        }
    }

    /**
     * The literals of the {@code parameters: $1 = '...'} the text holds: stderr logs a statement's bind parameters as
     * the DETAIL entry after it, and only the caller knows that the entry before was sensitive.
     */
    public Result redactParameters(String text) {
        if (!text.contains("parameters: $")) {
            return new Result(text, false);
        }
        String out = EntryParts.map(text, part -> part.contains("parameters: $") ? redactEveryLiteralInPart(part) : part);
        return out.equals(text) ? new Result(text, false) : new Result(out, true);
    }

    public Result redact(String text) {
        boolean literals = level == Redaction.LITERALS;
        // Nearly every entry holds no secret: one pass decides whether anything else needs to run at all.
        if (!mayHoldSecret(text) && !(literals && mayHoldLiteral(text))) {
            return new Result(text, false);
        }
        Scan scan = new Scan();
        String out = redactText(text, 0, scan);
        if (literals) {
            // Values first: a quote inside one (COPY t, line 1: "it's") is no literal's opening.
            out = QuotedValues.redact(out);
            out = redactEveryLiteral(out);
        }
        return new Result(out.equals(text) ? text : out, !out.equals(text), scan.sensitive);
    }

    /**
     * True when the text contains one of the words every rule needs (any case): password, create, alter, secret,
     * token, key, akia, asia, _s3, scram, md5, crypt, digest, hmac, dearmor, "://" or {@code near "}. It runs on every entry, so it looks back from
     * each word's last character, compared by hand.
     */
    static boolean mayHoldSecret(String text) {
        for (int i = 1, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            // ASCII letters of either case become lower case; '/', '"', '3' and '5' stay as they are.
            boolean hit = switch (c | 0x20) {
                case 'd' -> endsWithIgnoringCase(text, i, "password");
                case 'e' -> endsWithIgnoringCase(text, i, "create");
                case 'r' -> endsWithIgnoringCase(text, i, "alter") || endsWithIgnoringCase(text, i, "dearmor");
                case 't' -> endsWithIgnoringCase(text, i, "secret") || endsWithIgnoringCase(text, i, "crypt")
                        || endsWithIgnoringCase(text, i, "digest");
                case 'c' -> endsWithIgnoringCase(text, i, "hmac");
                case 'n' -> endsWithIgnoringCase(text, i, "token");
                case 'y' -> endsWithIgnoringCase(text, i, "key");
                case 'a' -> endsWithIgnoringCase(text, i, "akia") || endsWithIgnoringCase(text, i, "asia");
                case 'm' -> endsWithIgnoringCase(text, i, "scram");
                case '3' -> i >= 2 && (text.charAt(i - 1) | 0x20) == 's' && text.charAt(i - 2) == '_';
                case '5' -> endsWithIgnoringCase(text, i, "md5");
                case '/' -> i >= 2 && text.charAt(i - 1) == '/' && text.charAt(i - 2) == ':';
                case '"' -> i >= 5 && text.startsWith("near ", i - 5);
                default -> false;
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text may hold a literal or quoted values, for {@link Redaction#LITERALS}. */
    static boolean mayHoldLiteral(String text) {
        return text.indexOf('\'') >= 0 || text.indexOf('$') >= 0 || text.indexOf('"') >= 0
                || QuotedValues.mayHold(text);
    }

    /** Whether {@code text} has {@code lower} (lower-case ASCII letters and digits) ending at {@code end}. */
    private static boolean endsWithIgnoringCase(String text, int end, String lower) {
        int start = end - lower.length() + 1;
        if (start < 0) {
            return false;
        }
        for (int k = lower.length() - 2; k >= 0; k--) {
            char want = lower.charAt(k);
            char have = text.charAt(start + k);
            if ((Character.isDigit(want) ? have : have | 0x20) != want) {
                return false;
            }
        }
        return true;
    }

    /** What reading an entry's statements found, for the rules that run after it. */
    private static final class Scan {
        /** The bare passwords found in role statements, for the syntax error's echo of them. */
        final Set<String> bare = new HashSet<>();
        /** Whether a statement of the entry was sensitive: its bind parameters folded in with it go too. */
        boolean sensitive;
    }

    /** Every rule but the LITERALS level's. */
    private String redactText(String text, int depth, Scan scan) {
        String out = EntryParts.map(text, part -> redactStatements(part, depth, scan));
        // csvlog and jsonlog fold a statement's bind parameters in beside it (DETAIL:  parameters: $1 = '...', or a
        // CONTEXT's unnamed portal with parameters: ...): those of a sensitive statement are redacted with it.
        if (scan.sensitive && out.contains("parameters: $")) {
            out = EntryParts.map(out, part -> part.contains("parameters: $") ? redactEveryLiteralInPart(part) : part);
        }
        Set<String> bare = scan.bare;
        // Each rule runs only where its word is: most text that reaches here holds one of them, not all.
        String lower = out.toLowerCase(Locale.ROOT);
        if (lower.contains("password")) {
            out = redactAfterPasswordWord(out);
            out = replace(CONNINFO_PASSWORD, out, "$1" + MARK);
        }
        if (lower.contains("://")) {
            out = redactUriPasswords(out);
        }
        if (lower.contains("at or near \"")) {
            out = redactEchoedLiterals(out);
            if (!bare.isEmpty()) {
                out = redactEchoes(out, bare);
            }
            out = redactSyntaxEchoes(out);
            out = replace(NUMERIC_JUNK, out, "$1" + Matcher.quoteReplacement(MARK) + "$3");
        }
        if (lower.contains("scram-sha-256$") || lower.contains("md5")) {
            out = replace(VERIFIER, out, Matcher.quoteReplacement(MARK));
        }
        if (out.contains("AKIA") || out.contains("ASIA")) {
            Matcher key = ACCESS_KEY_ID.matcher(out);
            if (key.find()) {
                out = key.replaceAll(Matcher.quoteReplacement(MARK));
                out = replace(AWS_SECRET, out, Matcher.quoteReplacement(MARK));
            }
        }
        if (lower.contains("parameter \"")) {
            out = replace(SECRET_PARAMETER_VALUE, out, "$1" + Matcher.quoteReplacement(MARK) + "$3");
        }
        return out;
    }

    private static String redactEchoes(String text, Set<String> bare) {
        Matcher m = ECHOED_TOKEN.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        boolean any = false;
        while (m.find()) {
            String token = m.group(2);
            if (bare.contains(token) || bare.contains(unquote(token))) {
                m.appendReplacement(out, "$1" + Matcher.quoteReplacement(MARK) + "$3");
                any = true;
            }
        }
        if (!any) {
            return text;
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A syntax error's echo of anything but a keyword or an operator: a failed {@code ALTER USER u PASSWORD hunter2}
     * logs {@code syntax error at or near "hunter2"}, and in stderr format the STATEMENT line that says it was a
     * password is an entry of its own, perhaps in another payload. An entry is redacted from its own text alone, so
     * every batching stores the same; what the echo hides is in the STATEMENT line (log_min_error_statement).
     */
    private static String redactSyntaxEchoes(String text) {
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        int at;
        while ((at = text.indexOf(SYNTAX_ECHO, from)) >= 0) {
            int start = at + SYNTAX_ECHO.length();
            // The token is at least one character, up to the first quote that ends the line (or " at character N").
            if (start >= text.length() || isLineTerminator(text.charAt(start))) {
                from = start;
                continue;
            }
            int close = closingEchoQuote(text, start + 1, LINE);
            if (close < 0) {
                from = -close;
                continue;
            }
            from = close + 1;
            String token = text.substring(start, close);
            if (token.contains(MARK) || PostgresKeywords.isKeyword(token) || PUNCTUATION.matcher(token).matches()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, start).append(MARK);
            copied = close;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** Where {@link #closingEchoQuote} stops: nowhere, at a newline, or at any line terminator (regex's '.'). */
    private static final int ANYWHERE = 0;
    static final int NEWLINE = 1;
    private static final int LINE = 2;

    /**
     * The first '"' at or after {@code from} that ends an echo: followed by the end of the text or a newline, perhaps
     * after " at character N". When there is none, minus the position where looking further is useless (the stop
     * character, or the text's length): every echo starting before it fails alike, so callers go on from there and
     * each character is looked at once, whatever the text repeats.
     */
    static int closingEchoQuote(String text, int from, int stop) {
        int n = text.length();
        for (int i = from; i < n; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (endsEcho(text, i + 1)) {
                    return i;
                }
            } else if (stop == NEWLINE && c == '\n' || stop == LINE && isLineTerminator(c)) {
                return -i;
            }
        }
        return -n;
    }

    private static boolean endsEcho(String text, int at) {
        int n = text.length();
        if (at == n || text.charAt(at) == '\n') {
            return true;
        }
        String tail = " at character ";
        if (!text.startsWith(tail, at)) {
            return false;
        }
        int d = at + tail.length();
        int digits = d;
        while (digits < n && digits - d < 12 && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        return digits > d && (digits == n || text.charAt(digits) == '\n');
    }

    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** The literal PostgreSQL's lexer echoes in {@code at or near "'...'"}, to the quote that ends the entry's line. */
    private static String redactEchoedLiterals(String text) {
        Matcher m = ECHOED_LITERAL.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from <= text.length() && m.find(from)) {
            int close = closingEchoQuote(text, m.end(), ANYWHERE);
            if (close < 0) {
                break;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, m.end()).append(MARK);
            copied = close;
            from = close + 1;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * The password of {@code scheme://user:password@host}, greedy to the URI's last '@' (before whitespace or a
     * quote), so '@' and '/' in it are covered. Found from each "://" by hand: the scheme and user name are read
     * within {@link #URI_PART_MAX} characters, and the run after them once for all the "://" it holds.
     */
    static String redactUriPasswords(String text) {
        int n = text.length();
        StringBuilder out = null;
        int copied = 0;
        int runStart = -1;
        int runEnd = -1;
        int runLastAt = -1;
        int from = 0;
        int sep;
        while ((sep = text.indexOf("://", from)) >= 0) {
            from = sep + 3;
            if (sep < copied || !hasScheme(text, sep)) {
                continue;
            }
            int colon = sep + 3;
            while (colon < n && colon - sep - 3 <= URI_PART_MAX && isUserChar(text.charAt(colon))) {
                colon++;
            }
            if (colon >= n || text.charAt(colon) != ':') {
                continue;
            }
            int password = colon + 1;
            if (password >= runEnd || password < runStart) {
                runStart = password;
                runEnd = password;
                runLastAt = -1;
                while (runEnd < n && isPasswordChar(text.charAt(runEnd))) {
                    if (text.charAt(runEnd) == '@') {
                        runLastAt = runEnd;
                    }
                    runEnd++;
                }
            }
            if (runLastAt < password) {
                from = Math.max(from, runEnd);
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(text, copied, password).append(MARK);
            copied = runLastAt;
            from = runLastAt + 1;
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /** A scheme ends at {@code sep}: a letter at a word's start, then letters, digits, '+', '.' or '-'. */
    private static boolean hasScheme(String text, int sep) {
        for (int i = sep - 1; i >= 0 && sep - i <= URI_PART_MAX; i--) {
            char c = text.charAt(i);
            if (!(isAsciiLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-')) {
                return false;
            }
            if (isAsciiLetter(c) && (i == 0 || !isWordChar(text.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWordChar(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9' || c == '_';
    }

    private static boolean isUserChar(char c) {
        return c != ':' && c != '/' && c != '@' && isPasswordChar(c);
    }

    /** Not a quote nor what the regex {@code \\s} calls white space. */
    private static boolean isPasswordChar(char c) {
        return c != '\'' && c != '"' && c != ' ' && (c < '\t' || c > '\r');
    }

    private static String unquote(String token) {
        return token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"")
                ? token.substring(1, token.length() - 1) : token;
    }

    /** A literal or comment inside a statement. */
    private record Span(int start, int end, SqlLiterals.Literal literal) {
        boolean isComment() {
            return literal == null;
        }
    }

    /** Reads the text as statements, from its start, and redacts the sensitive ones. */
    private String redactStatements(String text, int depth, Scan scan) {
        int n = text.length();
        StringBuilder out = null;
        List<Span> spans = new ArrayList<>();
        int statementStart = 0;
        int i = 0;
        while (i <= n) {
            if (i == n || text.charAt(i) == ';') {
                if (!spans.isEmpty() || mayBeSensitive(text, statementStart, i)) {
                    String redacted = redactStatement(text, statementStart, i, spans, depth, scan);
                    if (redacted != null) {
                        if (out == null) {
                            out = new StringBuilder(n).append(text, 0, statementStart);
                        }
                        out.append(redacted);
                    } else if (out != null) {
                        out.append(text, statementStart, i);
                    }
                } else if (out != null) {
                    out.append(text, statementStart, i);
                }
                if (out != null && i < n) {
                    out.append(';');
                }
                spans.clear();
                statementStart = ++i;
                continue;
            }
            char c = text.charAt(i);
            if (c == '"') {
                int close = text.indexOf('"', i + 1);
                i = close < 0 ? n : close + 1;
                continue;
            }
            int skip = SqlLiterals.skipNonLiteral(text, i);
            if (skip > i) {
                spans.add(new Span(i, skip, null));
                i = skip;
                continue;
            }
            SqlLiterals.Literal lit = SqlLiterals.at(text, i);
            if (lit != null) {
                spans.add(new Span(i, lit.end(), lit));
                i = lit.end();
            } else {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * A statement without literals is redacted only for a bare password or an unquoted SET value, and read for the
     * bind parameters folded in beside it when it calls a function that takes a secret ({@code crypt($1, $2)}).
     */
    private static boolean mayBeSensitive(String text, int from, int to) {
        String s = text.substring(from, to);
        String lower = s.toLowerCase(Locale.ROOT);
        return (lower.contains("role") || lower.contains("user") || lower.contains("group"))
                && ROLE_STATEMENT.matcher(s).find() || lower.contains("set") && SET_SECRET.matcher(s).find()
                || (s.contains("AKIA") || s.contains("ASIA")) && ACCESS_KEY_ID.matcher(s).find()
                || (lower.contains("_s3") || lower.contains("create_aws")) && CREDENTIAL_FUNCTION.matcher(s).find()
                || mayCallPgcrypto(lower) && PGCRYPTO_FUNCTION.matcher(s).find();
    }

    /** The statement text[from, to) redacted, or null when nothing in it changes. */
    private String redactStatement(String text, int from, int to, List<Span> spans, int depth, Scan scan) {
        StringBuilder sk = new StringBuilder(to - from);
        // Where each span stands in the skeleton, for the assignment before it.
        int[] skeletonAt = new int[spans.size()];
        int at = from;
        boolean literalHoldsKeyId = false;
        boolean literalNamesSecret = false;
        boolean literalHoldsStatement = false;
        for (int k = 0; k < spans.size(); k++) {
            Span s = spans.get(k);
            sk.append(text, at, s.start());
            skeletonAt[k] = sk.length();
            sk.append(' ');
            at = s.end();
            if (!s.isComment()) {
                String content = content(text, s);
                if (mayHoldSecret(content)) {
                    literalHoldsKeyId |= ACCESS_KEY_ID.matcher(content).find();
                    literalNamesSecret |= SECRET_WORD.matcher(content).find();
                    literalHoldsStatement |= holdsSensitiveStatement(content);
                }
            }
        }
        sk.append(text, at, to);
        String skeleton = sk.toString();
        String lower = skeleton.toLowerCase(Locale.ROOT);
        boolean role = (lower.contains("role") || lower.contains("user") || lower.contains("group"))
                && ROLE_STATEMENT.matcher(skeleton).find();
        boolean setConfig = literalNamesSecret && lower.contains("set_config") && SET_CONFIG.matcher(skeleton).find();
        // A SET command (SET, ALTER ... SET, a function's SET clause) loses its value list; an UPDATE's SET of a secret
        // column only the literal assigned to it: WHERE, RETURNING and the other columns stay.
        boolean setSecret = false;
        boolean assignsSecret = false;
        if (lower.contains("set")) {
            Matcher set = SET_SECRET.matcher(skeleton);
            Matcher update = UPDATE_WORD.matcher(skeleton);
            while (set.find()) {
                if (update.region(0, set.start()).find()) {
                    assignsSecret = true;
                } else {
                    setSecret = true;
                }
            }
            // A secret column further down the list: SET last_seen = now(), api_token = '...'.
            assignsSecret |= !spans.isEmpty() && lower.contains("update") && update.region(0, skeleton.length()).find()
                    && SET_WORD.matcher(skeleton).region(update.end(), skeleton.length()).find()
                    && SECRET_WORD.matcher(skeleton).find();
        }
        boolean sensitive = role || setConfig || setSecret || literalHoldsKeyId || literalHoldsStatement
                || (lower.contains("_s3") || lower.contains("create_aws"))
                && CREDENTIAL_FUNCTION.matcher(skeleton).find()
                || mayCallPgcrypto(lower) && PGCRYPTO_FUNCTION.matcher(skeleton).find()
                || (skeleton.contains("AKIA") || skeleton.contains("ASIA")) && ACCESS_KEY_ID.matcher(skeleton).find();

        // The bind parameters of an UPDATE of a secret column go too, as they did when it counted as a SET.
        scan.sensitive |= sensitive || assignsSecret;
        StringBuilder out = new StringBuilder(to - from + 16);
        boolean nameKept = false;
        // Set once the value of a secret setting has begun: the rest of the statement is its value list.
        boolean[] inSetValue = {false};
        at = from;
        for (int k = 0; k < spans.size(); k++) {
            Span s = spans.get(k);
            appendCode(text, at, s.start(), role, setSecret, inSetValue, scan.bare, out);
            at = s.end();
            if (s.isComment()) {
                out.append(text, s.start(), s.end());
                continue;
            }
            String content = content(text, s);
            // set_config keeps its parameter's name: the first literal that reads as one, not a value like it.
            boolean name = setConfig && !nameKept && PARAMETER_NAME.matcher(content).matches()
                    && SECRET_WORD.matcher(content).find();
            nameKept |= name;
            if (assignsSecret && assignedToSecret(skeleton, skeletonAt[k])) {
                s.literal().appendRedacted(out, MARK);
            } else if (sensitive && !holdsSensitiveStatement(content) && !name) {
                s.literal().appendRedacted(out, MARK);
            } else if (!mayHoldSecret(content)) {
                out.append(text, s.start(), s.end());
            } else if (depth < MAX_DEPTH) {
                String plain = unescape(s.literal(), content);
                String inner = redactText(plain, depth + 1, scan);
                if (inner.equals(plain)) {
                    out.append(text, s.start(), s.end());
                } else {
                    out.append(s.literal().open()).append(escape(s.literal(), inner)).append(s.literal().close());
                }
            } else {
                s.literal().appendRedacted(out, MARK);
            }
        }
        appendCode(text, at, to, role, setSecret, inSetValue, scan.bare, out);
        String result = out.toString();
        return result.contentEquals(text.subSequence(from, to)) ? null : result;
    }

    /** Whether the skeleton's text before {@code at} assigns a secret column: {@code SET password = }. */
    private static boolean assignedToSecret(String skeleton, int at) {
        // The name is at most 160 characters: looking further back only costs.
        return SECRET_ASSIGNMENT.matcher(skeleton).region(Math.max(0, at - 200), at).find();
    }

    private static boolean mayCallPgcrypto(String lower) {
        return lower.contains("crypt") || lower.contains("digest") || lower.contains("hmac") || lower.contains("dearmor");
    }

    private static boolean holdsSensitiveStatement(String content) {
        return ROLE_STATEMENT.matcher(content).find() || CREDENTIAL_FUNCTION.matcher(content).find()
                || mayCallPgcrypto(content.toLowerCase(Locale.ROOT)) && PGCRYPTO_FUNCTION.matcher(content).find()
                || PASSWORD_PLACEHOLDER.matcher(content).find();
    }

    /** Statement text outside literals and comments: bare passwords of role statements, unquoted SET values. */
    private static void appendCode(String text, int from, int to, boolean role, boolean setSecret,
                                   boolean[] inSetValue, Set<String> bare, StringBuilder out) {
        if (from >= to) {
            return;
        }
        String code = text.substring(from, to);
        if (role) {
            Matcher m = BARE_PASSWORD.matcher(code);
            StringBuilder b = new StringBuilder(code.length());
            while (m.find()) {
                String value = m.group(2);
                if (value.equals(MARK) || value.startsWith("[") || PLACEHOLDER.matcher(value).matches()) {
                    continue;
                }
                bare.add(value);
                bare.add(unquote(value));
                m.appendReplacement(b, "$1" + Matcher.quoteReplacement(MARK));
            }
            m.appendTail(b);
            code = b.toString();
        }
        if (setSecret) {
            int value = 0;
            if (!inSetValue[0]) {
                Matcher m = SET_SECRET.matcher(code);
                if (m.find()) {
                    value = m.end(1);
                    inSetValue[0] = true;
                }
            }
            if (inSetValue[0]) {
                // SET x.secret = a, b: every item of the list, to the statement's end (literals are spans of their own).
                code = code.substring(0, value) + replace(SET_VALUE_ITEM, code.substring(value),
                        Matcher.quoteReplacement(MARK));
            }
        }
        out.append(code);
    }

    /** A literal's text between its quotes (to the end of the text for one left open). */
    private static String content(String text, Span s) {
        SqlLiterals.Literal lit = s.literal();
        int start = s.start() + lit.open().length();
        int end = s.end();
        if (end - start >= lit.close().length() && text.startsWith(lit.close(), end - lit.close().length())
                && end - lit.close().length() >= start) {
            end -= lit.close().length();
        }
        return text.substring(start, Math.max(start, end));
    }

    /** The literal's content as the statement it may hold reads: quotes undoubled (and backslash-escaped in E'...'). */
    private static String unescape(SqlLiterals.Literal lit, String content) {
        if (lit.open().startsWith("$") || lit.open().equals("''")) {
            return content;
        }
        String s = content.replace("''", "'");
        return lit.open().equalsIgnoreCase("E'") ? s.replace("\\'", "'") : s;
    }

    private static String escape(SqlLiterals.Literal lit, String plain) {
        if (lit.open().startsWith("$") || lit.open().equals("''")) {
            return plain;
        }
        return lit.open().equalsIgnoreCase("E'") ? plain.replace("'", "\\'") : plain.replace("'", "''");
    }

    /**
     * The literal straight after the word PASSWORD, in any of its forms, where the word stands outside literals and
     * comments: each part of the entry ({@link EntryParts}) is read as the lexer would, from its own start, so a
     * literal that ends with the word ({@code set_config('myapp.password', 'x')}) does not make its closing quote look
     * like an opening one, nor an odd quote in a DETAIL before a {@code STATEMENT:} the statement's. Double quotes are
     * not skipped: log text quotes statements in them ({@code at or near "..."}).
     */
    private static String redactAfterPasswordWord(String text) {
        return EntryParts.map(text, Redactor::redactAfterPasswordWordInPart);
    }

    private static String redactAfterPasswordWordInPart(String text) {
        Matcher m = PASSWORD_WORD.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int lexed = 0;
        while (m.find()) {
            lexed = lex(text, lexed, m.start());
            if (lexed > m.start()) {
                continue;
            }
            SqlLiterals.Literal lit = SqlLiterals.at(text, m.end());
            if (lit == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, m.end());
            lit.appendRedacted(out, MARK);
            copied = lexed = lit.end();
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** The lexer's position after reading text[from, to): past any literal or comment at to. */
    private static int lex(String text, int from, int to) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '-' || c == '/') {
                int skip = SqlLiterals.skipNonLiteral(text, i);
                if (skip > i) {
                    i = skip;
                    continue;
                }
            }
            SqlLiterals.Literal lit = SqlLiterals.at(text, i);
            i = lit == null ? i + 1 : lit.end();
        }
        return i;
    }

    /**
     * Every literal of each part of the text ({@link EntryParts}), wherever it is: also inside double quotes (an
     * echo {@code at or near "..."}, a JSON plan), which is why quoted identifiers are not skipped here; comments are.
     */
    private static String redactEveryLiteral(String text) {
        return EntryParts.map(text, Redactor::redactEveryLiteralInPart);
    }

    private static String redactEveryLiteralInPart(String text) {
        int n = text.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '-' || c == '/') {
                int skip = SqlLiterals.skipNonLiteral(text, i);
                if (skip > i) {
                    i = skip;
                    continue;
                }
            }
            if (c == '"') {
                int skip = identifierEnd(text, i);
                if (skip > i) {
                    i = skip;
                    continue;
                }
            }
            SqlLiterals.Literal lit = c == '\'' || c == '$' || (c | 0x20) == 'e' || (c | 0x20) == 'u'
                    || "NnBbXx".indexOf(c) >= 0 ? SqlLiterals.at(text, i) : null;
            if (lit == null) {
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(text, copied, i);
            lit.appendRedacted(out, MARK);
            copied = i = lit.end();
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /**
     * The end of the quoted identifier at {@code i} ({@code ""} inside it) when its quote would open a literal that
     * runs past it ({@code "it's"}), else {@code i}: double quotes whose content lexes to whole literals are read
     * through (a JSON plan's {@code "(name = 'x'::text)"}), as is one left open or holding a backslash (a JSON
     * string's {@code \"}), so only what cannot be a literal of its own is skipped.
     */
    static int identifierEnd(String text, int i) {
        int n = text.length();
        int j = i + 1;
        while (true) {
            int close = text.indexOf('"', j);
            if (close < 0) {
                return i;
            }
            if (close + 1 < n && text.charAt(close + 1) == '"') {
                j = close + 2;
                continue;
            }
            // Lexed with a blank after it, a literal left open runs past the content's end.
            String content = text.substring(i + 1, close) + ' ';
            if (content.indexOf('\\') >= 0) {
                return i;
            }
            int k = 0;
            while (k < content.length()) {
                SqlLiterals.Literal lit = SqlLiterals.at(content, k);
                if (lit != null && lit.end() >= content.length()) {
                    return close + 1;
                }
                k = lit == null ? k + 1 : lit.end();
            }
            return i;
        }
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(replacement) : text;
    }
}
