package io.pglogs.cli.cyclea;

import io.pglogs.cli.cycleb.Second;

/**
 * One half of a package cycle, and a class below the root that uses it: for ArchitectureTest to prove its rules can
 * fail. Test code.
 */
public final class First {
    Second second;
    io.pglogs.cli.PglogsCli top;
}
