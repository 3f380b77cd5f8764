package io.pglogs.forwarder.parse;

/**
 * The SQLSTATE class of the common errors, read from PostgreSQL's message texts (lc_messages = 'C') where the log
 * does not carry the code (the stderr format without {@code %e} in its prefix, as RDS's default prefix). Only
 * messages whose text names one code in PostgreSQL's source are listed; any other gives null, never a guess.
 */
final class SqlStateClasses {
    private SqlStateClasses() {
    }

    /** Message starts and their SQLSTATE, most frequent first. */
    private static final String[][] STARTS = {
            {"duplicate key value violates unique constraint", "23505"},
            {"null value in column ", "23502"},
            {"relation \"", "42P01"},            // ... does not exist (checked below)
            {"column \"", "42703"},              // ... does not exist
            {"syntax error at or near ", "42601"},
            {"syntax error at end of input", "42601"},
            {"unterminated quoted string", "42601"},
            {"unterminated dollar-quoted string", "42601"},
            {"division by zero", "22012"},
            {"invalid input syntax for ", "22P02"},
            {"value too long for type ", "22001"},
            {"permission denied for ", "42501"},
            {"must be owner of ", "42501"},
            {"function ", "42883"},              // ... does not exist
            {"operator does not exist", "42883"},
            {"current transaction is aborted", "25P02"},
            {"deadlock detected", "40P01"},
            {"could not serialize access", "40001"},
            {"canceling statement due to lock timeout", "55P03"},
            {"could not obtain lock on ", "55P03"},
            {"canceling statement due to user request", "57014"},
            {"canceling statement due to statement timeout", "57014"},
            // a hot standby's conflict: 40001, or 40P01 for a buffer pin deadlock; the class is 40 either way
            {"canceling statement due to conflict with recovery", "40001"},
            {"canceling autovacuum task", "57014"},
            {"terminating connection due to administrator command", "57P01"},
            {"terminating connection due to idle-in-transaction timeout", "25P03"},
            {"terminating connection due to idle-session timeout", "57P05"},
            {"password authentication failed for user ", "28P01"},
            {"no pg_hba.conf entry ", "28000"},
            {"pg_hba.conf rejects ", "28000"},
            {"role \"", "28000"},                // ... does not exist (FATAL at connection)
            {"database \"", "3D000"},            // ... does not exist
            {"sorry, too many clients already", "53300"},
            {"remaining connection slots are reserved", "53300"},
            {"too many connections for ", "53300"},
            {"out of memory", "53200"},
            {"could not extend file ", "53100"},
            {"the database system is starting up", "57P03"},
            {"the database system is shutting down", "57P03"},
            {"the database system is in recovery mode", "57P03"},
            {"insert or update on table ", "23503"},
            {"update or delete on table ", "23503"},
            {"new row for relation ", "23514"},
            {"cannot execute ", "25006"},        // ... in a read-only transaction
    };

    /** The class (two characters) of the error {@code message} names, or null. */
    static String fromMessage(String message) {
        for (String[] s : STARTS) {
            if (message.startsWith(s[0])) {
                String code = s[1];
                if (s[0].endsWith("\"") || s[0].equals("function ")) {
                    // "relation \"x\" does not exist" and its like: only the "does not exist" form is that code.
                    String first = firstLine(message);
                    if (!first.endsWith(" does not exist")) {
                        continue;
                    }
                }
                if (code.equals("23503") && !firstLine(message).contains("violates foreign key constraint")) {
                    continue;
                }
                if (code.equals("23514") && !firstLine(message).contains("violates check constraint")) {
                    continue;
                }
                if (code.equals("25006") && !firstLine(message).endsWith("in a read-only transaction")) {
                    continue;
                }
                return code.substring(0, 2);
            }
        }
        return null;
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
