package io.pglogs.cli.cycleb;

import io.pglogs.cli.cyclea.First;

/** The other half of a package cycle, for ArchitectureTest to prove its rule can fail. Test code. */
public final class Second {
    First first;
}
