package io.pglogs.cli.option;

import io.pglogs.cli.app.Session;
import picocli.CommandLine.Option;

/**
 * --table: read another pglogs table than the environment's, such as the one it moved away from to change its
 * storage format; the table's own tags give its format and shards.
 */
public final class TableOptions {
    @Option(names = "--table", paramLabel = "TABLE", description = "Read this pglogs table instead of <env>.table "
            + "(say the one an environment moved away from, until its entries expire); its own tags give its format "
            + "and shards.")
    String table;

    /** The session, reading the table named by --table when one was given. */
    public Session apply(Session session) {
        return table == null ? session : session.readingTable(table);
    }
}
