package io.pglogs.cli.app;

import io.pglogs.cli.view.RowWriter;

/** A use case that renders, for ArchitectureTest to prove its rule can fail. Test code. */
final class ViewInTheApp {
    RowWriter writer;
}
