package io.pglogs.cli.terraform;

import java.nio.file.Path;
import java.util.List;

/** What the steps need of a terraform or tofu binary: run a subcommand in a root, or read what one prints. */
public interface Terraform {
    /** The binary, for messages. */
    Path binary();

    /** Runs {@code <binary> <args>} in {@code dir}, its output streamed; returns its exit code. */
    int run(Path dir, List<String> args);

    /** Runs {@code <binary> <args>} in {@code dir} and returns its standard output; fails on a non-zero exit. */
    String capture(Path dir, List<String> args);

    /** Whether the last run failed because a connection to AWS broke mid-response (a run worth repeating). */
    boolean lastRunFailedInTransit();
}
