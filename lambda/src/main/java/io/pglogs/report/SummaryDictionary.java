package io.pglogs.report;

import java.nio.charset.StandardCharsets;
import java.util.zip.Adler32;

/**
 * The zlib preset dictionary of summary items' {@code sm} (docs/schema.md "Summary items", its text in
 * docs/summary-dictionary.txt). A payload of 20 lines makes a summary of about 2.7 KB of JSON that deflates to about
 * 805 bytes, many of them the first occurrence of the layout's own field names, kinds and severities. Deflated against
 * this text (the layout's vocabulary; of log content only PostgreSQL's defaults {@code postgres}, {@code [local]} and
 * {@code SELECT}) it is about 135 bytes smaller (the bench corpus and the test corpus alike), which takes most summary
 * items of small payloads under one write unit (1 KB). Fixed forever: the zlib header names it by its Adler-32
 * ({@link #ID}), and every summary written with it must stay readable; another dictionary would be another id, read
 * beside this one.
 */
public final class SummaryDictionary {
    private SummaryDictionary() {
    }

    static final String TEXT = ""
            + "\"L\":{\"w\":1,\"a\":1,\"d\":1,\"mx\":,\"h\":[,\"lw\":[{\"a\":,\"i\":\"\",\"p\":,\"k\":\"\",\"w"
            + "\":,\"m\":\"\",\"dt\":\"\",\"st\":\"\"}],\"dl\":[{\"a\":,\"i\":\"\",\"p\":,\"m\":\"\"}]},\"T\":{"
            + "\"n\":1,\"b\":,\"mx\":,\"h\":[,\"g\":[{\"k\":\"\",\"t\":\"\",\"n\":1,\"b\":,\"mx\":,\"s\":\"\"}]"
            + "},\"C\":{\"s\":1,\"n\":1,\"c\":{\"time\":1},\"b\":,\"w\":,\"y\":,\"t\":,\"h\":[,\"x\":{\"a\":,\""
            + "i\":\"\",\"b\":,\"w\":,\"y\":,\"t\":}},\"V\":{\"v\":1,\"a\":1,\"h\":[,\"g\":[{\"k\":\"\",\"v\":1"
            + ",\"a\":1,\"p\":,\"t\":,\"e\":,\"x\":}]},\"k\":{\"authentication_failed\":,\"autoanalyze\":,\"aut"
            + "ovacuum\":,\"cancel\":,\"checkpoint_complete\":,\"checkpoint_starting\":,\"crash_recovery\":,\"d"
            + "eadlock\":,\"fatal\":,\"lock_acquired\":,\"lock_wait\":,\"out_of_memory\":,\"panic\":,\"replicat"
            + "ion\":,\"server_shutdown\":,\"server_start\":,\"temp_file\":,\"terminate\":,\"too_many_connectio"
            + "ns\":,\"E\":{\"n\":1,\"h\":[,\"sv\":{\"ERROR\":1},\"cl\":{\"\":1},\"g\":[{\"sv\":\"ERROR\",\"m\""
            + ":\"\",\"n\":1,\"f\":17,\"l\":17,\"s\":\"\",\"dt\":\"\",\"st\":\"\",\"i\":\"\"}]},\"N\":{\"r\":1,"
            + "\"a\":1,\"f\":1,\"x\":1,\"s\":1,\"us\":,\"mx\":.0,\"h\":[,\"m\":[,\"u\":[{\"k\":\"postgres\",\"c"
            + "\":1,\"s\":1,\"us\":,\"mx\":.0}],\"d\":[{\"k\":\"postgres\",\"c\":1,\"s\":1,\"us\":,\"mx\":.0}],"
            + "\"c\":[{\"k\":\"[local]\",\"c\":1,\"s\":1,\"us\":,\"mx\":.0}]}}{\"v\":1,\"n\":,\"f\":17,\"l\":17"
            + ",\"h\":[,\"sv\":{\"CONTEXT\":,\"DETAIL\":,\"ERROR\":,\"FATAL\":,\"HINT\":,\"LOG\":,\"STATEMENT\""
            + ":,\"WARNING\":},\"k\":{\"auto_explain\":,\"connection_authorized\":,\"connection_received\":,\"d"
            + "isconnection\":,\"error\":,\"other\":,\"statement_duration\":,\"statement_log\":},\"i\":{\"\":},"
            + "\"S\":{\"n\":,\"us\":,\"lg\":,\"ae\":,\"wt\":,\"h\":[,\"g\":[{\"k\":\"\",\"g\":{\"c\":1,\"t\":1,"
            + "\"us\":,\"mx\":0.,\"mn\":0.,\"q\":[0,-,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"
            + ",0,1],\"u\":[\"postgres\"],\"d\":[\"postgres\"],\"s\":\"SELECT \",\"sa\":17,\"i\":\"\"},\"t\":0,"
            + "\"s\":0,\"sm\":0.";

    static final byte[] BYTES = TEXT.getBytes(StandardCharsets.US_ASCII);

    /** Its Adler-32, as the zlib header of a summary deflated with it carries it (RFC 1950 DICTID). */
    public static final int ID = adler32(BYTES);

    private static int adler32(byte[] bytes) {
        Adler32 a = new Adler32();
        a.update(bytes);
        return (int) a.getValue();
    }
}
