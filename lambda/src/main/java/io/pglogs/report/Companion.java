package io.pglogs.report;

/**
 * What wants the lines PostgreSQL writes after an entry (DETAIL, STATEMENT, ...): in stderr they are entries of their
 * own from the same process, in csvlog and jsonlog fields folded into the message. {@link ReportBuilder} hands each to
 * the last entry of its process that asked.
 */
interface Companion {
    /**
     * @param field       DETAIL, HINT, CONTEXT, STATEMENT, QUERY or LOCATION
     * @param text        the line's text
     * @param fingerprint a STATEMENT line's fingerprint, when stored (stderr); null otherwise
     */
    void companion(String field, String text, String fingerprint);

    /** Hands the fields folded into {@code message} (csvlog, jsonlog) to {@code to}. */
    static void folded(String message, Companion to) {
        if (message.indexOf('\n') < 0) {
            return;
        }
        for (String field : Rows.FOLDED) {
            String text = Rows.folded(message, field);
            if (text != null) {
                to.companion(field, text, null);
            }
        }
    }
}
