package io.pglogs.cli.view;

import picocli.CommandLine;

/** A renderer that knows picocli, for ArchitectureTest to prove its rule can fail. Test code. */
final class PicocliInAView {
    CommandLine commandLine;
}
